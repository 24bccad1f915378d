import { computed, defineComponent, h, onMounted, type PropType } from 'vue'
import type { ActionId } from '../../actions/define-action'
import type { FieldSpec } from '../../editor-config/manifest-types'
import { MANIFEST, validateActionInput } from '../../editor-config/manifest'
import { editorIssues } from '../../editor-config/weweb-runtime-config'
import { fieldInputs } from './field-input'
import { readPath, withDefaults, writePath } from './field-path'

/** The form of one action, built from its fields in the manifest; WeWeb passes `plugin` and `args`. */
export const ActionEdit = defineComponent({
  name: 'ActionEdit',
  props: {
    actionId: { type: String as PropType<ActionId>, required: true },
    plugin: { type: null as unknown as PropType<unknown> },
    args: { type: Object as PropType<Record<string, unknown> | null> },
  },
  emits: { 'update:args': (_args: Record<string, unknown>) => true },
  setup(props, { emit }) {
    const spec = computed(() => MANIFEST.actions.find((a) => a.id === props.actionId))
    const values = computed(() => props.args ?? {})
    const issues = computed(() => editorIssues(validateActionInput(props.actionId, values.value), values.value))

    function visible(field: FieldSpec): boolean {
      if (!field.visibleIf) return true
      const value = readPath(values.value, field.visibleIf.field) ?? null
      return field.visibleIf.equals.includes(value as string | number | boolean | null)
    }

    // NOTE: a new action starts with the manifest's defaults, so the form shows what will be used.
    onMounted(() => {
      const next = withDefaults(values.value, spec.value?.fields ?? [])
      if (next !== values.value) emit('update:args', next)
    })

    return () =>
      h(
        'div',
        { class: 'ww-realtime-action', 'aria-label': spec.value?.label },
        fieldInputs((spec.value?.fields ?? []).filter(visible), values.value, issues.value, (name, value) => emit('update:args', writePath(values.value, name, value))),
      )
  },
})
