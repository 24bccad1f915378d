/**
 * How inputs are described: the fields of an action's form and the conditions of a trigger. An
 * action describes each input once, in two halves kept side by side in its file: what the runtime
 * needs ({@link InputField}: kind, default, choices, bounds) and what only the editor shows
 * ({@link FieldText}: label, tooltip, placeholder). `editor-config/` joins them into the plain
 * JSON {@link FieldSpec}s of the manifest; the runtime bundle leaves the editor text out.
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

/**
 * One input of an action (or of the settings) as the runtime knows it: its kind, whether it must
 * be filled, the value used when it is left empty, its choices or bounds. The validator and the
 * runtime read it; the editor form is built from it and the field's {@link FieldText}.
 */
export interface InputField {
  type: FieldType
  /** The validator reports the field when it is blank. @default false */
  required?: boolean
  /** What the runtime uses when the field is left empty; the form starts with it. */
  default?: unknown
  /** For `select`: the accepted values, in form order. */
  values?: ReadonlyArray<string | number | boolean>
  /** For `number`: the accepted range. */
  min?: number
  max?: number
  /** For `list`: the inputs of one item. */
  item?: InputFields
}

/** The inputs of a form by field name (a dotted path inside the input object), in form order. */
export type InputFields = Readonly<Record<string, InputField>>

/** How an editor shows one input field. Editor-only text: the runtime never reads it. */
export interface FieldText {
  label: string
  tooltip: string
  placeholder?: string
  /** Whether the value may be bound to a variable, an event field or a page input. @default true */
  bindable?: boolean
  visibleIf?: VisibleIf
}

/**
 * The editor text of every input of `F`: a {@link FieldText} per field, plus the label of each
 * choice of a `select` (`options`, by value) and the text of each input of a `list` item (`item`).
 */
export type FieldTexts<F extends InputFields> = {
  [K in keyof F]: FieldText &
    (F[K] extends { values: ReadonlyArray<infer V> } ? { options: Record<V & (string | number), string> } : unknown) &
    (F[K] extends { item: infer I extends InputFields } ? { item: FieldTexts<I> } : unknown)
}
