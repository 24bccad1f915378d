/**
 * How an input is described to an editor: the fields of an action's form and the conditions of a
 * trigger. Plain JSON, so any editor can render it. Actions and triggers describe themselves with
 * these shapes; `editor-config/` gathers them into the manifest.
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

export interface ConditionSpec {
  key: string
  label: string
  type: 'text' | 'select'
  placeholder: string
  options?: FieldOption[]
}
