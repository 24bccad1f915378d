import { defineComponent, h, type Component } from 'vue'
import type { ActionId } from '../../actions/define-action'
import { toWewebConfig, type WewebComponentLoader, type WewebConfig } from '../../editor-config/weweb-config'
import ActionEdit from './ActionEdit.vue'
import SettingsEdit from './SettingsEdit.vue'
import SettingsSummary from './SettingsSummary.vue'

/** `edit`/`summary` loaders resolve to a module, as `() => import('./X.vue')` does in WeWeb's plugins. */
function loader(component: Component): WewebComponentLoader {
  const module = Object.freeze({ __proto__: null, default: component, [Symbol.toStringTag]: 'Module' })
  return () => Promise.resolve(module)
}

/** The generic action form bound to one action code (WeWeb passes only `plugin` and `args`). */
function actionForm(actionId: ActionId): Component {
  return defineComponent({
    name: `RealtimeActionEdit-${actionId}`,
    props: { plugin: { type: Object, default: null }, args: { type: Object, default: null } },
    emits: ['update:args'],
    setup(props, { emit }) {
      return () => h(ActionEdit, { actionId, plugin: props.plugin, args: props.args, 'onUpdate:args': (args: Record<string, unknown>) => emit('update:args', args) })
    },
  })
}

/** The editor's ww-config: the runtime part plus labels, copilot, triggers and the editor components. */
export function withEditorParts(): WewebConfig {
  return toWewebConfig(undefined, {
    settingsEdit: loader(SettingsEdit),
    settingsSummary: loader(SettingsSummary),
    actionEdit: (actionId) => loader(actionForm(actionId)),
  })
}
