import { inject } from 'vue'
import { REALTIME_PLUGIN_KEY, type RealtimePlugin } from '../create-realtime-plugin'
import { errorFor } from '../core/errors'

/** The plugin provided by `app.use(plugin)`; call it from a component's setup. */
export function useRealtimePlugin(): RealtimePlugin {
  const plugin = inject(REALTIME_PLUGIN_KEY, null)
  if (!plugin) {
    throw errorFor('NOT_CONFIGURED', 'notInstalled', undefined, { details: {} })
  }
  return plugin
}
