import { computed, defineComponent, h, type PropType } from 'vue'
import { MANIFEST, validateSettings } from '../../editor-config/manifest'
import { publicSettings } from '../../editor-config/weweb-runtime-config'
import { fieldInputs } from './field-input'

/** The settings WeWeb passes to the settings panel and its summary. */
export interface EditedSettings {
  publicData?: Record<string, unknown>
  privateData?: Record<string, unknown>
}

/** The settings panel: every plugin setting of the manifest, checked by the runtime's validator. */
export const SettingsEdit = defineComponent({
  name: 'SettingsEdit',
  props: {
    plugin: { type: null as unknown as PropType<unknown> },
    settings: { type: Object as PropType<EditedSettings | null> },
  },
  emits: { 'update:settings': (_settings: { publicData: Record<string, unknown>; privateData: Record<string, unknown> }) => true },
  setup(props, { emit }) {
    const data = computed(() => (publicSettings(props.settings) ?? {}) as Record<string, unknown>)
    const issues = computed(() => validateSettings(data.value))
    return () =>
      h(
        'div',
        { class: 'ww-realtime-settings' },
        fieldInputs(MANIFEST.settings, data.value, issues.value, (name, value) => emit('update:settings', { privateData: {}, ...props.settings, publicData: { ...data.value, [name]: value } })),
      )
  },
})
