import { computed, defineComponent, h, resolveComponent, type PropType, type VNode } from 'vue'
import type { FieldSpec, ValidationIssue } from '../../editor-config/manifest-types'
import { VALUE_TYPES } from '../../editor-config/weweb-config'
import { isBound } from '../../editor-config/weweb-runtime-config'
import { readPath, withDefaults, writePath } from './field-path'

/**
 * WeWeb's input of each field kind (a list renders its item fields in the row's slot). The row's
 * `bindingValidation` is what a formula bound to the field must return, as WeWeb's binding explorer shows it.
 */
const INPUT_TYPES = { text: 'query', textarea: 'query', json: 'query', number: 'number', boolean: 'onoff', select: 'select', list: 'array' } as const

const ADVICE_STYLE = { color: '#d93636', fontSize: '12px', margin: '0 0 8px' }

/**
 * One field of a form, as WeWeb's `wwEditorInputRow`, with the validator's advice under it. A
 * render function rather than a template: the bundle then holds only `h`, not the compiler's helpers.
 */
export const FieldInput = defineComponent({
  name: 'FieldInput',
  props: {
    field: { type: Object as PropType<FieldSpec>, required: true },
    value: { type: null as unknown as PropType<unknown> },
    /** The field's path in the validator's issues, e.g. `postgresChanges[0].table`. */
    path: { type: String, required: true },
    issues: { type: Array as PropType<readonly ValidationIssue[]>, required: true },
  },
  emits: { update: (_value: unknown) => true },
  setup(props, { emit }) {
    const items = computed(() => (Array.isArray(props.value) ? (props.value as unknown[]) : []))

    /** JSON fields take an object: typed text that parses to one is stored as the object itself. */
    function update(value: unknown): void {
      if (props.field.type === 'json' && typeof value === 'string' && /^\s*[[{]/.test(value)) {
        try {
          emit('update', JSON.parse(value))
          return
        } catch {
          // NOTE: not JSON (yet): keep the text, the validator's advice says what is expected.
        }
      }
      emit('update', value)
    }

    return (): VNode => {
      const { field, value, path, issues } = props
      const sub = field.itemFields
      const json = field.type === 'json' && !isBound(value) && typeof value === 'object' && value !== null
      const row = h(
        resolveComponent('wwEditorInputRow'),
        {
          type: INPUT_TYPES[field.type],
          label: field.label,
          tooltip: field.tooltip,
          placeholder: field.placeholder,
          bindable: field.bindable,
          required: field.required,
          options: field.options,
          bindingValidation: field.bindable ? { type: VALUE_TYPES[field.type], tooltip: field.tooltip } : undefined,
          small: true,
          modelValue: json ? JSON.stringify(value) : value,
          'onUpdate:modelValue': update,
          onAddItem: () => update([...items.value, withDefaults({}, sub ?? [])]),
        },
        sub && {
          default: ({ item, setItem }: { item: unknown; setItem: (next: unknown) => void }) =>
            sub.map((f) =>
              h(FieldInput, {
                key: f.name,
                field: f,
                value: readPath(item, f.name),
                path: `${path}[${items.value.indexOf(item)}].${f.name}`,
                issues,
                onUpdate: (next: unknown) => setItem(writePath(item, f.name, next)),
              }),
            ),
        },
      )
      // NOTE: the field's issues, and for a list those about one item as a whole (e.g. a duplicate binding).
      const advice = issues.filter((i) => i.field.replace(/\[\d+\]$/, '') === path)
      return h('div', { class: 'ww-realtime-field' }, [row, ...advice.map((i) => h('p', { key: i.field + i.code, class: 'ww-realtime-advice', style: ADVICE_STYLE }, `${i.message} ${i.fix}`))])
    }
  },
})

/** One {@link FieldInput} per field, each at its own path of `values`; `set` receives the field's name and new value. */
export function fieldInputs(fields: readonly FieldSpec[], values: Record<string, unknown>, issues: readonly ValidationIssue[], set: (name: string, value: unknown) => void): VNode[] {
  return fields.map((field) => h(FieldInput, { key: field.name, field, value: readPath(values, field.name), path: field.name, issues, onUpdate: (value: unknown) => set(field.name, value) }))
}
