import type { InjectionKey } from 'vue'
import type { RealtimePlugin } from '../create-realtime-plugin'

/** Injection key under which `app.use(plugin)` provides the plugin. */
export const REALTIME_PLUGIN_KEY: InjectionKey<RealtimePlugin> = Symbol('supabase-realtime-plugin')
