import { markRaw } from 'vue'
import { ACTIONS, type ActionInputs, type ActionResults } from '../actions/action-list'
import type { ActionId } from '../actions/define-action'
import { _runtimeOf, createRealtimeInstance, type RealtimeInstance } from './create-realtime-instance'
import { tokenSubject } from './core/default-presence-key'
import { createWewebHost, followSupabaseAuth, supabaseAuthClient, supabaseAuthToken } from './host/weweb-host'

/** Settings as WeWeb stores them; the editor's settings panel writes `publicData`. */
export interface WewebPluginSettings {
  publicData?: { url?: string; key?: string; maxMessages?: number; heartbeatIntervalMs?: number; maxMessagesPerSecond?: number }
  privateData?: Record<string, unknown>
}

/**
 * One method per action `code` of the ww-config: WeWeb calls `plugin[code](args)` from a workflow,
 * with whatever the form holds; the action's validator checks it first.
 */
export type WewebActionMethods = { [K in ActionId]: (args: ActionInputs[K] | Record<string, unknown>) => Promise<ActionResults[K]> }

/**
 * The runtime object WeWeb mounts as `wwLib.wwPlugins.<namespace>` (the default export of
 * `src/wwPlugin.js`). WeWeb sets `id` and `settings`, calls `_onLoad` once, `onSave` after the
 * settings are saved in the editor, and one method per action.
 */
export interface WewebPluginObject extends WewebActionMethods {
  /** Set by WeWeb: the plugin id, prefix of trigger and variable ids. */
  id: string
  /** Set by WeWeb. */
  settings: WewebPluginSettings
  /** The running plugin, or `null` before `_onLoad`. */
  readonly instance: RealtimeInstance | null
  _onLoad(settings?: WewebPluginSettings): Promise<void>
  /** Reconnects with the saved URL and key, and joins the same channels again. */
  onSave(settings: WewebPluginSettings): Promise<void>
  /** Leaves every channel and stops following the auth plugin (WeWeb itself never unloads a plugin). */
  dispose(): Promise<void>
}

/** Per channel, the presence state this instance tracks, to track it again after a restart. */
function trackedStates(instance: RealtimeInstance): Map<string, Record<string, unknown>> {
  const states = new Map<string, Record<string, unknown>>()
  for (const [name, presence] of Object.entries(instance.variables.presence)) {
    if (presence.self.tracked && presence.self.state) states.set(name, { ...presence.self.state })
  }
  return states
}

function blank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === ''
}

/** URL and key from the settings; left empty, they are taken from the Supabase Auth plugin's client. */
function connectionOf(settings: WewebPluginSettings): { url: string | undefined; key: string | undefined } {
  const data = settings.publicData ?? {}
  const auth = supabaseAuthClient()
  return { url: blank(data.url) ? auth?.supabaseUrl : data.url, key: blank(data.key) ? auth?.supabaseKey : data.key }
}

/**
 * Creates the WeWeb runtime object. The plugin owns its Supabase client, whose access token is the
 * session of the Supabase Auth plugin when one is installed: signing in or out, or the auth plugin
 * loading later, updates the token of every joined channel (`realtime.setAuth`), so no
 * subscription is lost.
 */
export function createWewebPlugin(): WewebPluginObject {
  let instance: RealtimeInstance | null = null
  let stopFollowing: (() => void) | null = null
  let loading: Promise<void> | null = null

  async function start(self: WewebPluginObject): Promise<void> {
    stopFollowing?.()
    stopFollowing = null
    const previous = instance
    instance = null
    // NOTE: the channels to join again after the settings change are the ones the runtime has subscribed.
    const rejoin = (previous && _runtimeOf(previous)?.subscriptions()) ?? []
    const tracked = previous ? trackedStates(previous) : new Map<string, Record<string, unknown>>()
    await previous?.dispose()
    const { url, key } = connectionOf(self.settings)
    const data = self.settings.publicData ?? {}
    const next = markRaw(
      createRealtimeInstance({
        url,
        key,
        // NOTE: left unset, each is `undefined`, which createRealtimeInstance reads as its default.
        maxMessages: data.maxMessages,
        heartbeatIntervalMs: data.heartbeatIntervalMs,
        maxMessagesPerSecond: data.maxMessagesPerSecond,
        host: createWewebHost(self.id),
        accessToken: supabaseAuthToken,
      }),
    )
    instance = next
    stopFollowing = followSupabaseAuth(() => {
      const client = next.client
      if (client) {
        const before = tokenSubject(client.realtime.accessTokenValue)
        client.realtime.setAuth().then(
          () => {
            const after = tokenSubject(client.realtime.accessTokenValue)
            // NOTE: another user signed in: the channels join again as that user, so presence keys
            // that default to the user's id follow (a token refresh of the same user keeps them).
            if (before !== null && after !== null && before !== after && instance === next) void self._onLoad()
          },
          (error: unknown) => next.host.log?.('warn', 'Could not update the access token', { error: String(error) }),
        )
        return
      }
      // NOTE: no URL or key of its own: the auth plugin, which just loaded, may bring them.
      const now = connectionOf(self.settings)
      if (!blank(now.url) && !blank(now.key) && (now.url !== url || now.key !== key)) void self._onLoad()
    })
    const runtime = _runtimeOf(next)
    for (const config of rejoin) {
      try {
        if (!runtime) throw new Error('the plugin is not configured')
        await runtime.subscribe(config)
        const state = tracked.get(config.name)
        if (state) await runtime.presence(config.name, 'track', state, config.timeoutMs)
      } catch (error) {
        next.host.log?.('error', `Could not join "${config.name}" again after the settings changed`, { error: String(error) })
      }
    }
  }

  async function run(self: WewebPluginObject, actionId: ActionId, args: unknown): Promise<unknown> {
    await loading?.catch(() => undefined)
    // NOTE: WeWeb loads a plugin before its actions run; a failed or missing load is retried here.
    if (!instance) await self._onLoad()
    return (instance as RealtimeInstance).execute(actionId, args)
  }

  const methods = Object.fromEntries(
    (Object.keys(ACTIONS) as ActionId[]).map((id) => [
      id,
      // NOTE: called detached (`const { subscribe } = plugin`), a method still runs on this object.
      function (this: WewebPluginObject | undefined, args: unknown) {
        return run(this ?? plugin, id, args)
      },
    ]),
  ) as unknown as WewebActionMethods

  const plugin: WewebPluginObject = {
    id: '',
    settings: {},
    get instance() {
      return instance
    },
    async _onLoad(settings) {
      if (settings) this.settings = settings
      const previous = loading
      loading = (async () => {
        await previous?.catch(() => undefined)
        await start(this)
      })()
      await loading
    },
    async onSave(settings) {
      await this._onLoad(settings)
    },
    async dispose() {
      await loading?.catch(() => undefined)
      stopFollowing?.()
      stopFollowing = null
      await instance?.dispose()
      instance = null
      loading = null
    },
    ...methods,
  }
  return plugin
}
