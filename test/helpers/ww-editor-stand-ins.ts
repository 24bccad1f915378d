import { defineComponent, h, type App, type PropType, type VNode } from 'vue'

let nextId = 0

interface Option {
  label: string
  value: unknown
}

/**
 * Stand-in for WeWeb's `wwEditorInputRow`, with the props and events WeWeb's own plugins use:
 * `type` (query, number, onoff, select, array), `label`, `tooltip`, `placeholder`, `required`,
 * `bindable`, `options`, `bindingValidation`, `modelValue` / `update:modelValue`, and for arrays `add-item` plus a
 * default slot receiving `{ item, setItem }`. It renders plain, labelled HTML controls.
 */
export const WwEditorInputRowStandIn = defineComponent({
  name: 'wwEditorInputRow',
  props: {
    type: { type: String, default: 'query' },
    label: { type: String, default: '' },
    tooltip: { type: String, default: '' },
    placeholder: { type: String, default: '' },
    required: { type: Boolean, default: false },
    bindable: { type: Boolean, default: false },
    small: { type: Boolean, default: false },
    options: { type: Array as PropType<Option[]>, default: () => [] },
    bindingValidation: { type: Object, default: null },
    modelValue: { type: null as unknown as PropType<unknown>, default: undefined },
  },
  emits: ['update:modelValue', 'add-item'],
  setup(props, { emit, slots }) {
    const id = `ww-input-${++nextId}`
    const label = (): VNode[] => [h('label', { for: id, title: props.tooltip }, props.label), ...(props.required ? [h('span', { 'aria-hidden': 'true' }, ' *')] : [])]
    return () => {
      const common = { id, title: props.tooltip, 'aria-required': props.required ? 'true' : undefined }
      if (props.type === 'array') {
        const items = Array.isArray(props.modelValue) ? (props.modelValue as unknown[]) : []
        return h('fieldset', { class: 'ww-input-row' }, [
          h('legend', props.label),
          ...items.map((item, index) =>
            h('div', { role: 'group', 'aria-label': `${props.label} ${index + 1}` }, [
              slots.default?.({ item, index, setItem: (next: unknown) => emit('update:modelValue', items.map((it, i) => (i === index ? next : it))) }),
              h('button', { type: 'button', onClick: () => emit('update:modelValue', items.filter((_, i) => i !== index)) }, `Remove ${props.label} ${index + 1}`),
            ]),
          ),
          h('button', { type: 'button', onClick: () => emit('add-item') }, `Add ${props.label}`),
        ])
      }
      let control: VNode
      if (props.type === 'onoff') {
        control = h('input', { ...common, type: 'checkbox', role: 'switch', checked: props.modelValue === true, onChange: (e: Event) => emit('update:modelValue', (e.target as HTMLInputElement).checked) })
      } else if (props.type === 'select') {
        const index = props.options.findIndex((o) => o.value === props.modelValue)
        control = h(
          'select',
          { ...common, value: index < 0 ? '' : String(index), onChange: (e: Event) => emit('update:modelValue', props.options[Number((e.target as HTMLSelectElement).value)]?.value) },
          [h('option', { value: '', disabled: true }, props.placeholder || 'Select…'), ...props.options.map((o, i) => h('option', { value: String(i) }, o.label))],
        )
      } else if (props.type === 'number') {
        control = h('input', {
          ...common,
          type: 'number',
          value: props.modelValue ?? '',
          placeholder: props.placeholder,
          onInput: (e: Event) => {
            const raw = (e.target as HTMLInputElement).value
            emit('update:modelValue', raw === '' ? undefined : Number(raw))
          },
        })
      } else {
        control = h('input', {
          ...common,
          type: 'text',
          value: props.modelValue === undefined || props.modelValue === null ? '' : String(props.modelValue),
          placeholder: props.placeholder,
          onInput: (e: Event) => emit('update:modelValue', (e.target as HTMLInputElement).value),
        })
      }
      return h('div', { class: 'ww-input-row' }, [...label(), control])
    }
  },
})

/** Registers the stand-ins under WeWeb's global component names. */
export function installEditorStandIns(app: App): void {
  app.component('wwEditorInputRow', WwEditorInputRowStandIn)
}
