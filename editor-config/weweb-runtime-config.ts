/**
 * The ww-config as the published app needs it (no editor text); `weweb-config.ts` adds the editor parts.
 */
import { ACTIONS } from '../actions/action-list'
import type { ActionId } from '../actions/define-action'
import { TRIGGER_IDS } from '../src/core/trigger-payloads'
import { VARIABLE_IDS } from '../src/core/types'
import { createRealtimeState } from '../src/store/realtime-state'
import type { ValidationIssue } from './manifest-types'
import { validateSettings } from './validate-settings'

/** What `edit` and `summary` return: a module whose default export is a Vue component, as `import()` does. */
export type WewebComponentLoader = () => Promise<{ default: unknown }>

/** A settings panel of the ww-config (`editor.settings[]`). */
export interface WewebSettingsPanel {
  label?: string
  icon?: string
  edit?: WewebComponentLoader
  summary?: WewebComponentLoader
  getIsValid(settings: unknown): boolean
  /** The runtime method WeWeb calls after the settings are saved. */
  onSave: 'onSave'
}

/** Type names as WeWeb's copilot reads them. */
export type WewebTypeName = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'void'

/** One action of the ww-config. */
export interface WewebAction {
  name: string
  code: ActionId
  isAsync: true
  getIsValid(args: unknown): boolean
  edit?: WewebComponentLoader
  copilot?: { description: string; returns: WewebTypeName; schema: Record<string, { type: WewebTypeName; description: string; bindable: boolean; enum?: unknown[] }> }
}

/** One trigger of the ww-config; the label, sample event and conditions are editor-only. */
export interface WewebTrigger {
  value: string
  label?: string
  event?: unknown
  conditions?: Array<{ name: string; key: string; placeholder: string; type: 'Text' | 'TextSelect'; options?: Array<{ label: string; value: unknown }> }>
}

/** One variable of the ww-config; WeWeb stores it as `<pluginId>-<name>`. */
export interface WewebVariable {
  name: string
  value: string
  type: WewebTypeName
  defaultValue: unknown
}

/** The default export of `ww-config.js`. */
export interface WewebConfig {
  editor: { settings: WewebSettingsPanel[] }
  actions: WewebAction[]
  triggers: WewebTrigger[]
  variables: WewebVariable[]
}

/** A value bound to a formula in WeWeb's editor (`{ __wwtype: 'f', code }`); WeWeb resolves it before the action runs. */
export function isBound(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '__wwtype' in value
}

function pathIsBound(root: unknown, field: string): boolean {
  let current = root
  for (const step of field.split(/[.[\]]+/).filter(Boolean)) {
    if (isBound(current)) return true
    if (typeof current !== 'object' || current === null) return false
    current = (current as Record<string, unknown>)[step]
  }
  return isBound(current)
}

/** The validator's issues for values edited in WeWeb: a field bound to a formula is checked when the action runs. */
export function editorIssues(issues: readonly ValidationIssue[], values: unknown): ValidationIssue[] {
  return issues.filter((i) => !pathIsBound(values, i.field))
}

/** The settings WeWeb passes (`{ publicData, privateData }`), as the settings validator reads them. */
export function publicSettings(settings: unknown): unknown {
  return (settings && typeof settings === 'object' && 'publicData' in settings ? (settings as { publicData: unknown }).publicData : settings) ?? {}
}

/** The type name WeWeb's copilot and variables use for a value. */
export function typeName(value: unknown): WewebTypeName {
  if (value === undefined || value === null) return 'void'
  if (Array.isArray(value)) return 'array'
  const t = typeof value
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object'
}

/**
 * The part of the ww-config the published app needs: action codes and validity (the runtime
 * validators), trigger ids, and the variables with their initial values. No editor text.
 */
export function wewebRuntimeConfig(): WewebConfig {
  const initial = createRealtimeState(1)
  return {
    editor: { settings: [{ getIsValid: (settings) => validateSettings(publicSettings(settings)).length === 0, onSave: 'onSave' }] },
    actions: (Object.keys(ACTIONS) as ActionId[]).map((code) => ({
      name: ACTIONS[code].name,
      code,
      isAsync: true,
      getIsValid: (args: unknown) => editorIssues(ACTIONS[code].validate(args ?? {}), args).length === 0,
    })),
    triggers: TRIGGER_IDS.map((value) => ({ value })),
    variables: VARIABLE_IDS.map((name) => {
      const defaultValue = JSON.parse(JSON.stringify(initial[name].value)) as unknown
      return { name, value: name, type: typeName(defaultValue), defaultValue }
    }),
  }
}

