import { defineComponent, h, type PropType } from 'vue'
import { validateSettings } from '../../editor-config/manifest'
import { publicSettings } from '../../editor-config/weweb-runtime-config'
import type { EditedSettings } from './settings-edit'

/** One line under the plugin in WeWeb's plugin list: the project it connects to. */
export const SettingsSummary = defineComponent({
  name: 'SettingsSummary',
  props: { settings: { type: Object as PropType<EditedSettings | null> } },
  setup(props) {
    return () => {
      const data = publicSettings(props.settings) as Record<string, unknown>
      const first = validateSettings(data)[0]
      return h('div', { class: 'ww-realtime-summary' }, first ? `Not configured: ${first.message}` : `Project ${String(data['url']).replace(/^https?:\/\//, '')}`)
    }
  },
})
