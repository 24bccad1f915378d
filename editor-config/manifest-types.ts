/**
 * Shapes of the declarative editor manifest. The manifest is plain JSON (no functions), so any
 * editor can render it; validity is computed by the runtime validators exported next to it
 * (`validateActionInput`, `validateSettings`), never by the editor itself.
 */

/** Field kinds an editor knows how to render. */
export type FieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'boolean'
  | 'select'
  | 'json'
  | 'list'

export interface FieldOption {
  label: string
  /** `null` means "any" (for trigger conditions: matches every value). */
  value: string | number | boolean | null
}

/** Show the field only when another field of the same form has one of these values. */
export interface VisibleIf {
  field: string
  equals: ReadonlyArray<string | number | boolean | null>
}

export interface FieldSpec {
  /** Dotted path inside the input object, e.g. `broadcast.self` or `channel`. */
  name: string
  type: FieldType
  label: string
  tooltip: string
  required: boolean
  /** Whether the value may be bound to a variable, an event field or a page input. */
  bindable: boolean
  placeholder?: string
  default?: unknown
  options?: FieldOption[]
  visibleIf?: VisibleIf
  /** For `list` fields: the fields of one item. */
  itemFields?: FieldSpec[]
}

export interface ActionSpec {
  /** Fixed action id: `subscribe`, `broadcast`, `presence`, `unsubscribe`. */
  id: string
  /** "Category | Label" as WeWeb shows it, e.g. `Realtime | Subscribe to channel`. */
  name: string
  label: string
  description: string
  isAsync: true
  fields: FieldSpec[]
  /** Sample of what the action resolves, for the editor's result explorer. */
  sampleResult: unknown
}

export interface ConditionSpec {
  key: string
  label: string
  type: 'text' | 'select'
  placeholder: string
  options?: FieldOption[]
}

export interface TriggerSpec {
  /** Fixed trigger id: `broadcast`, `presence`, `postgres-changes`, `channel-status`, `connection-status`. */
  id: string
  label: string
  description: string
  conditions: ConditionSpec[]
  /** A realistic event, shaped exactly like the runtime payload. */
  sampleEvent: unknown
}

export interface VariableSpec {
  /** Fixed variable id: `connection`, `channels`, `messages`, `presence`, `changes`, `collections`. */
  id: string
  label: string
  type: 'object' | 'array' | 'string' | 'number' | 'boolean'
  description: string
  sample: unknown
}

export interface PluginManifest {
  name: string
  version: string
  settings: FieldSpec[]
  actions: ActionSpec[]
  triggers: TriggerSpec[]
  variables: VariableSpec[]
}

/** One validation problem: which field, a permanent code, and advice a no-code user can act on. */
export interface ValidationIssue {
  field: string
  code: string
  message: string
  fix: string
}
