import type { CheckedInput } from '../actions/check-inputs'
import type { InputTexts, LabelledText } from '../actions/define-action'
import type { FieldSpec, InputFields } from '../src/core/field-spec'

type AnyFieldText = LabelledText & { options?: Record<string, string>; item?: Record<string, AnyFieldText> }

/**
 * Joins what the runtime knows of each input (kind, required, default, choices) with its editor
 * text (label, tooltip, placeholder, choice labels) into the manifest's form fields, in input order.
 * A text without a label takes the input's own (the name the validator gives the field).
 */
export function toFieldSpecs<F extends InputFields>(inputs: F, texts: InputTexts<F>): FieldSpec[] {
  return joinFields(inputs, texts as Record<string, AnyFieldText>)
}

function joinFields(inputs: InputFields, texts: Record<string, AnyFieldText>): FieldSpec[] {
  return Object.entries(inputs).map(([name, input]: [string, CheckedInput]) => {
    const text = texts[name]
    const label = text?.label ?? input.label
    const missing = (what: string): Error => new Error(`The input "${name}" has no editor text ${what}.`)
    if (!text || !label) throw missing('(label, tooltip)')
    const spec: FieldSpec = { name, type: input.type, label, tooltip: text.tooltip, required: input.required ?? false, bindable: text.bindable ?? true }
    if (text.placeholder !== undefined) spec.placeholder = text.placeholder
    if (input.default !== undefined) spec.default = input.default
    if (input.values) {
      spec.options = input.values.map((value) => {
        const label = text.options?.[String(value)]
        if (label === undefined) throw missing(`for the choice "${String(value)}"`)
        return { label, value }
      })
    }
    if (text.visibleIf) spec.visibleIf = text.visibleIf
    if (input.item) spec.itemFields = joinFields(input.item, text.item ?? {})
    return spec
  })
}
