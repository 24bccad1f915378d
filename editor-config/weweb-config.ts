import type { ActionId } from '../actions/define-action'
import type { FieldType, PluginManifest } from './manifest-types'
import { MANIFEST } from './manifest'
import { typeName, wewebRuntimeConfig, type WewebAction, type WewebComponentLoader, type WewebConfig, type WewebTrigger, type WewebTypeName } from './weweb-runtime-config'

export type { WewebAction, WewebComponentLoader, WewebConfig, WewebSettingsPanel, WewebTrigger, WewebTypeName, WewebVariable } from './weweb-runtime-config'

/** The ww-config the editor reads: every action has its copilot schema, every trigger its label, sample and conditions. */
export interface WewebEditorConfig extends WewebConfig {
  actions: Array<WewebAction & Required<Pick<WewebAction, 'copilot'>>>
  triggers: Array<Required<WewebTrigger>>
}

/** The editor components `toWewebConfig` names in `edit` and `summary`. */
export interface WewebEditorComponents {
  settingsEdit: WewebComponentLoader
  settingsSummary: WewebComponentLoader
  actionEdit(actionId: ActionId): WewebComponentLoader
}

/** The type of a field's value, as the copilot schema and a formula bound to the field give it. */
export const VALUE_TYPES = {
  text: 'string',
  textarea: 'string',
  select: 'string',
  number: 'number',
  boolean: 'boolean',
  json: 'object',
  list: 'array',
} as const satisfies Record<FieldType, WewebTypeName>

/**
 * The whole ww-config: the runtime part plus what only the editor shows (labels, trigger samples
 * and conditions, copilot schemas and, when given, the settings panel and action forms).
 */
export function toWewebConfig(manifest: PluginManifest = MANIFEST, components?: WewebEditorComponents): WewebEditorConfig {
  const config = wewebRuntimeConfig()
  return {
    editor: {
      settings: config.editor.settings.map((panel) => ({
        ...panel,
        label: manifest.name,
        icon: 'advanced',
        ...(components ? { edit: components.settingsEdit, summary: components.settingsSummary } : {}),
      })),
    },
    actions: config.actions.map((action) => {
      const spec = manifest.actions.find((a) => a.id === action.code)
      if (!spec) throw new Error(`The manifest has no action "${action.code}".`)
      return {
        ...action,
        name: spec.name,
        ...(components ? { edit: components.actionEdit(action.code) } : {}),
        copilot: {
          description: spec.description,
          returns: typeName(spec.sampleResult),
          schema: Object.fromEntries(
            spec.fields.map((f) => [f.name, { type: VALUE_TYPES[f.type], description: f.tooltip, bindable: f.bindable, ...(f.options ? { enum: f.options.map((o) => o.value) } : {}) }]),
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
    variables: config.variables,
  }
}
