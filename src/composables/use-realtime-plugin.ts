import { inject } from 'vue'
import { REALTIME_PLUGIN_KEY, type RealtimePlugin } from '../create-realtime-plugin'
import { RealtimePluginError } from '../core/errors'

/** The plugin provided by `app.use(plugin)`; call it from a component's setup. */
export function useRealtimePlugin(): RealtimePlugin {
  const plugin = inject(REALTIME_PLUGIN_KEY, null)
  if (!plugin) {
    throw new RealtimePluginError('NOT_CONFIGURED', {
      message: 'No Realtime plugin is installed in this Vue app.',
      fix: 'Call app.use(createRealtimePlugin({ url, key })) before mounting, and use this composable inside a component setup.',
    })
  }
  return plugin
}
