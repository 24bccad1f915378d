import { createPinia, type Pinia } from 'pinia'
import { effectScope, type App, type InjectionKey } from 'vue'
import type { HostAdapter } from './core/host-adapter'
import { _createRealtimeInstanceParts, _linkRuntime, type RealtimeInstance, type RealtimeInstanceOptions } from './create-realtime-instance'
import { createMemoryHost } from './host/memory-host'
import { defineRealtimeStore, type RealtimeStore } from './store/realtime-store'

export { _runtimeOf } from './create-realtime-instance'
export type { RealtimeVariablesView } from './create-realtime-instance'

/** Options of {@link createRealtimePlugin}. */
export interface RealtimePluginOptions extends Omit<RealtimeInstanceOptions, 'host'> {
  /** The no-code host. @default an in-memory host */
  host?: HostAdapter
  /** The Pinia to install the store in. @default a Pinia of the plugin's own */
  pinia?: Pinia
}

/** A plugin instance with its Pinia store. It is also a Vue plugin: `app.use(plugin)`. */
export interface RealtimePlugin extends RealtimeInstance {
  /** The Pinia store of this instance. */
  readonly store: RealtimeStore
  /** Vue plugin hook: provides the plugin to components and installs the store in the app's Pinia. */
  install(app: App): void
}

/** Injection key under which `app.use(plugin)` provides the plugin. */
export const REALTIME_PLUGIN_KEY: InjectionKey<RealtimePlugin> = Symbol('supabase-realtime-plugin')

/**
 * Creates the Realtime plugin: workflow actions, app-level triggers (through `host`) and reactive
 * variables, in a Pinia store. Works without a Vue app, and as a Vue plugin.
 *
 * @example
 * const plugin = createRealtimePlugin({ url, key })
 * await plugin.execute('subscribe', { channel: 'chat' })
 */
export function createRealtimePlugin(options: RealtimePluginOptions = {}): RealtimePlugin {
  const { instance, instanceId, state, runtime } = _createRealtimeInstanceParts({ ...options, host: options.host ?? createMemoryHost() })
  const pinia = options.pinia ?? createPinia()
  const scope = effectScope(true)
  const storeDefinition = defineRealtimeStore(`supabase-realtime-${instanceId}`, state)
  const store = scope.run(() => storeDefinition(pinia)) as RealtimeStore
  let disposed = false

  const plugin: RealtimePlugin = {
    execute: instance.execute,
    variables: instance.variables,
    actions: instance.actions,
    host: instance.host,
    client: instance.client,
    store,
    async dispose() {
      if (disposed) return
      disposed = true
      try {
        await instance.dispose()
      } finally {
        store.$dispose()
        scope.stop()
      }
    },
    install(app: App) {
      app.provide(REALTIME_PLUGIN_KEY, plugin)
      const appPinia = app.config.globalProperties.$pinia as Pinia | undefined
      if (appPinia && appPinia !== pinia) scope.run(() => storeDefinition(appPinia))
    },
  }
  _linkRuntime(plugin, runtime)
  return plugin
}
