import { h, type Component, type FunctionalComponent } from 'vue'
import type { ActionId } from '../../actions/define-action'
import { toWewebConfig, type WewebComponentLoader, type WewebConfig } from '../../editor-config/weweb-config'
import { ActionEdit } from './action-edit'
import { SettingsEdit } from './settings-edit'
import { SettingsSummary } from './settings-summary'

/** `edit`/`summary` loaders resolve to a module, as `() => import('./X.vue')` does in WeWeb's plugins. */
function loader(component: Component): WewebComponentLoader {
  const module = Object.freeze({ __proto__: null, default: component, [Symbol.toStringTag]: 'Module' })
  return () => Promise.resolve(module)
}

/**
 * The generic action form bound to one action code. WeWeb passes only `plugin` and `args`: a
 * functional component without props hands them on as they are, with the `update:args` listener.
 */
function actionForm(actionId: ActionId): FunctionalComponent {
  return (_props, { attrs }) => h(ActionEdit, { ...attrs, actionId })
}

/** The editor's ww-config: the runtime part plus labels, copilot, triggers and the editor components. */
export function withEditorParts(): WewebConfig {
  return toWewebConfig(undefined, {
    settingsEdit: loader(SettingsEdit),
    settingsSummary: loader(SettingsSummary),
    actionEdit: (actionId) => loader(actionForm(actionId)),
  })
}
