import { ACTIONS } from '../actions/action-list'
import type { ActionId } from '../actions/define-action'
import type { FieldSpec, PluginManifest } from './manifest-types'
import { MANIFEST } from './manifest'
import { validateSettings } from './validate-settings'

/** One action in WeWeb's ww-config shape. */
export interface WewebAction {
  name: string
  code: string
  isAsync: true
  getIsValid(args: unknown): boolean
  copilot: { description: string; returns: string; schema: Record<string, { type: string; description: string; bindable: boolean; enum?: unknown[] }> }
}

/** One trigger in WeWeb's ww-config shape. */
export interface WewebTrigger {
  label: string
  value: string
  event: unknown
  conditions: Array<{ name: string; key: string; placeholder: string; type: 'Text' | 'TextSelect'; options?: Array<{ label: string; value: unknown }> }>
}

/** One variable in WeWeb's ww-config shape. */
export interface WewebVariable {
  name: string
  value: string
  type: string
  defaultValue: unknown
}

/** The plugin described in WeWeb's ww-config shape. */
export interface WewebConfig {
  editor: { settings: Array<{ label: string; fields: FieldSpec[]; getIsValid(settings: unknown): boolean }> }
  actions: WewebAction[]
  triggers: WewebTrigger[]
  variables: WewebVariable[]
}

function copilotType(field: FieldSpec): string {
  switch (field.type) {
    case 'boolean':
      return 'boolean'
    case 'number':
      return 'number'
    case 'json':
      return 'object'
    case 'list':
      return 'array'
    default:
      return 'string'
  }
}

/**
 * Exports the manifest in WeWeb's ww-config shape: actions `name`/`code`/`isAsync`/`getIsValid`/
 * `copilot`, triggers `label`/`value`/`event`/`conditions`, variables `name`/`value`/`type`/`defaultValue`.
 * Validity comes from the runtime validators.
 */
export function toWewebConfig(manifest: PluginManifest = MANIFEST): WewebConfig {
  return {
    editor: {
      settings: [
        {
          label: 'Supabase Realtime',
          fields: manifest.settings,
          getIsValid: (settings) => {
            const s = (settings && typeof settings === 'object' && 'publicData' in settings ? (settings as { publicData: unknown }).publicData : settings) ?? {}
            return validateSettings(s).length === 0
          },
        },
      ],
    },
    actions: manifest.actions.map((spec) => {
      const action = ACTIONS[spec.id as ActionId]
      return {
        name: spec.name,
        code: spec.id,
        isAsync: true,
        getIsValid: (args: unknown) => action.validate(args).length === 0,
        copilot: {
          description: spec.description,
          returns: `Resolves ${JSON.stringify(spec.sampleResult)}; throws an error with code, field, message and fix.`,
          schema: Object.fromEntries(
            spec.fields.map((f) => [f.name, { type: copilotType(f), description: f.tooltip, bindable: f.bindable, ...(f.options ? { enum: f.options.map((o) => o.value) } : {}) }]),
          ),
        },
      }
    }),
    triggers: manifest.triggers.map((t) => ({
      label: t.label,
      value: t.id,
      event: t.sampleEvent,
      conditions: t.conditions.map((c) => ({
        name: c.label,
        key: c.key,
        placeholder: `Default: ${c.placeholder}`,
        type: c.type === 'select' ? 'TextSelect' : 'Text',
        ...(c.options ? { options: c.options } : {}),
      })),
    })),
    variables: manifest.variables.map((v) => ({ name: v.id, value: v.id, type: v.type, defaultValue: v.id === 'connection' ? { status: 'idle', latencyMs: null, lastError: null, reconnects: 0, connectedAt: null } : {} })),
  }
}
