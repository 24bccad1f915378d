import type { SupabaseClient } from '@supabase/supabase-js'
import { createRealtimePlugin, type RealtimePlugin } from './create-realtime-plugin'
import { createWewebHost, wewebSharedClient } from './host/weweb-host'

/** Settings as WeWeb stores them (`settings.publicData`). */
export interface WewebPluginSettings {
  publicData?: { url?: string; key?: string; maxMessages?: number; heartbeatIntervalMs?: number }
}

/**
 * The runtime object WeWeb mounts as `wwLib.wwPlugins.<namespace>`: `_onLoad` builds the plugin
 * from the settings, and one method per action `code` of the ww-config export runs that action.
 */
export interface WewebPluginObject {
  /** Set by WeWeb: the plugin id, prefix of trigger and variable ids. */
  id: string
  /** Set by WeWeb. */
  settings: WewebPluginSettings
  instance: RealtimePlugin | null
  _onLoad(settings?: WewebPluginSettings): Promise<void>
  /** Called after the settings are saved in the editor. */
  onSave(settings: WewebPluginSettings): Promise<void>
  subscribe(args: unknown): Promise<unknown>
  broadcast(args: unknown): Promise<unknown>
  presence(args: unknown): Promise<unknown>
  unsubscribe(args: unknown): Promise<unknown>
}

function isSupabaseClient(value: unknown): value is SupabaseClient {
  return typeof value === 'object' && value !== null && 'realtime' in value && 'channel' in value
}

/** Creates the WeWeb runtime object of the plugin (`src/wwPlugin.js` would export it). */
export function createWewebPlugin(): WewebPluginObject {
  const run = async (self: WewebPluginObject, actionId: string, args: unknown): Promise<unknown> => {
    if (!self.instance) await self._onLoad()
    return (self.instance as RealtimePlugin).execute(actionId, args)
  }
  return {
    id: '',
    settings: {},
    instance: null,
    async _onLoad(settings) {
      if (settings) this.settings = settings
      await this.instance?.dispose()
      const shared = wewebSharedClient()
      const data = this.settings.publicData ?? {}
      this.instance = createRealtimePlugin({
        ...(isSupabaseClient(shared) ? { client: shared } : { url: data.url, key: data.key }),
        ...(data.maxMessages === undefined ? {} : { maxMessages: data.maxMessages }),
        ...(data.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: data.heartbeatIntervalMs }),
        host: createWewebHost(this.id),
      })
    },
    async onSave(settings) {
      await this._onLoad(settings)
    },
    subscribe(args) {
      return run(this, 'subscribe', args)
    },
    broadcast(args) {
      return run(this, 'broadcast', args)
    },
    presence(args) {
      return run(this, 'presence', args)
    },
    unsubscribe(args) {
      return run(this, 'unsubscribe', args)
    },
  }
}
