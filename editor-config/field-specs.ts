import type { FieldSpec, FieldText, FieldTexts, InputFields } from '../src/core/field-spec'

type AnyFieldText = FieldText & { options?: Record<string, string>; item?: Record<string, AnyFieldText> }

/**
 * Joins what the runtime knows of each input (kind, required, default, choices) with its editor
 * text (label, tooltip, placeholder, choice labels) into the manifest's form fields, in input order.
 */
export function toFieldSpecs<F extends InputFields>(inputs: F, texts: FieldTexts<F>): FieldSpec[] {
  return joinFields(inputs, texts as Record<string, AnyFieldText>)
}

function joinFields(inputs: InputFields, texts: Record<string, AnyFieldText>): FieldSpec[] {
  return Object.entries(inputs).map(([name, input]) => {
    const text = texts[name]
    if (!text) throw new Error(`The input "${name}" has no editor text.`)
    const spec: FieldSpec = { name, type: input.type, label: text.label, tooltip: text.tooltip, required: input.required ?? false, bindable: text.bindable ?? true }
    if (text.placeholder !== undefined) spec.placeholder = text.placeholder
    if (input.default !== undefined) spec.default = input.default
    if (input.values) {
      spec.options = input.values.map((value) => {
        const label = text.options?.[String(value)]
        if (label === undefined) throw new Error(`The choice "${String(value)}" of the input "${name}" has no label.`)
        return { label, value }
      })
    }
    if (text.visibleIf) spec.visibleIf = text.visibleIf
    if (input.item) spec.itemFields = joinFields(input.item, text.item ?? {})
    return spec
  })
}
