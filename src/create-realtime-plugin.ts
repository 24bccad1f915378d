import { createClient, type RealtimeClientOptions, type SupabaseClient } from '@supabase/supabase-js'
import { createPinia, type Pinia } from 'pinia'
import { effectScope, type App, type DeepReadonly, type InjectionKey } from 'vue'
import { ACTIONS, type ActionInputs, type ActionResults } from '../actions/action-list'
import { runAction, type ActionId } from '../actions/define-action'
import { validateSettings } from '../editor-config/validate-settings'
import { DEFAULT_HEARTBEAT_INTERVAL_MS, type WakeEventSource } from './core/connection-monitor'
import { attachHeartbeatRelay, createHeartbeatRelay } from './core/heartbeat-relay'
import { RealtimePluginError, errorFor, invalidInput, toPluginError, type RealtimeErrorCode } from './core/errors'
import type { RealtimeVariables } from './core/types'
import type { PointerWindow } from './core/live/live-types'
import type { HostAdapter } from './core/host-adapter'
import { createMemoryHost } from './host/memory-host'
import { RealtimeRuntime } from './runtime/realtime-runtime'
import { createRealtimeState } from './store/realtime-state'
import { defineRealtimeStore, type RealtimeStore } from './store/realtime-store'

/** Options of {@link createRealtimePlugin}. */
export interface RealtimePluginOptions {
  /** Supabase project URL, e.g. `https://xyz.supabase.co` (not needed with `client`). */
  url?: string
  /** Public (anon) key (not needed with `client`). */
  key?: string
  /** The no-code host. @default an in-memory host */
  host?: HostAdapter
  /** An existing Supabase client to share (e.g. with an auth plugin); its session token is used. */
  client?: SupabaseClient
  /** The Pinia to install the store in. @default a Pinia of the plugin's own */
  pinia?: Pinia
  /** Messages (and database changes) kept per channel. @default 200 */
  maxMessages?: number
  /** Passed to supabase-js's Realtime client when the plugin creates the client (e.g. `transport` on Node). */
  realtime?: RealtimeClientOptions
  /** Returns the user's access token, when the plugin creates the client and auth lives elsewhere. */
  accessToken?: () => Promise<string | null>
  /** Delay before reopening a channel the server closed, by attempt. @default 1 s, 2 s, 5 s, then 10 s */
  reopenAfterMs?: (attempt: number) => number
  /**
   * How often the connection is checked, in milliseconds: a link silent for two intervals is
   * reported lost and reconnected. Used as supabase-js's heartbeat when the plugin creates the
   * client; a shared client gets the plugin's own check at this interval. @default 5000
   */
  heartbeatIntervalMs?: number
  /** Where `online`/`offline`/`visibilitychange`/`pageshow` come from. @default `window` in a browser, none elsewhere */
  wakeEvents?: WakeEventSource | null
  /**
   * The room's messages-per-second budget (every message sent plus every copy delivered, as
   * Supabase counts them): live cursors and state widen their interval to stay under it.
   * @default 100 (the Free plan; Pro 500)
   */
  maxMessagesPerSecond?: number
  /**
   * Where Share cursor listens to `pointermove`, resolves `area` selectors and reads sizes.
   * @default `window` in a browser, none elsewhere (Node: pass a {@link PointerWindow} stand-in)
   */
  window?: PointerWindow | null
}

/** The variables, read-only: only actions change them. */
export type RealtimeVariablesView = { readonly [K in keyof RealtimeVariables]: DeepReadonly<RealtimeVariables[K]> }

/** A plugin instance. It is also a Vue plugin: `app.use(plugin)`. */
export interface RealtimePlugin {
  /** Runs a workflow action by id; validates the input first and throws {@link RealtimePluginError}. */
  execute<K extends ActionId>(actionId: K, input: ActionInputs[K]): Promise<ActionResults[K]>
  execute(actionId: string, input: unknown): Promise<unknown>
  /** Reactive, read-only variables. */
  readonly variables: RealtimeVariablesView
  readonly actions: typeof ACTIONS
  readonly host: HostAdapter
  /** The Supabase client in use, or `null` when the settings are incomplete. */
  readonly client: SupabaseClient | null
  /** The Pinia store of this instance. */
  readonly store: RealtimeStore
  /** Leaves every channel and releases the connection (and the client, when the plugin created it). */
  dispose(): Promise<void>
  /** Vue plugin hook: provides the plugin to components and installs the store in the app's Pinia. */
  install(app: App): void
}

const runtimes = new WeakMap<RealtimePlugin, RealtimeRuntime>()

/** @internal The runtime of a plugin instance, or `null` when its settings are incomplete (for the WeWeb entry and composables). */
export function _runtimeOf(plugin: RealtimePlugin): RealtimeRuntime | null {
  return runtimes.get(plugin) ?? null
}

/** Injection key under which `app.use(plugin)` provides the plugin. */
export const REALTIME_PLUGIN_KEY: InjectionKey<RealtimePlugin> = Symbol('supabase-realtime-plugin')

const FALLBACK_CODES: Record<ActionId, RealtimeErrorCode> = {
  subscribe: 'SUBSCRIBE_FAILED',
  broadcast: 'SEND_FAILED',
  presence: 'PRESENCE_FAILED',
  unsubscribe: 'SUBSCRIBE_FAILED',
  shareCursor: 'SEND_FAILED',
  stopCursor: 'SEND_FAILED',
  setLiveState: 'SEND_FAILED',
}

/** The browser window when there is one with a document. */
function defaultWindow(): PointerWindow | null {
  const win = (globalThis as { window?: unknown }).window
  return typeof win === 'object' && win !== null && 'document' in win ? (win as PointerWindow) : null
}

function shortId(): string {
  const c = globalThis.crypto
  return (c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`).replace(/-/g, '').slice(0, 8)
}

/**
 * Creates the Realtime plugin: workflow actions, app-level triggers (through `host`) and reactive
 * variables. Works without a Vue app, and as a Vue plugin.
 *
 * @example
 * const plugin = createRealtimePlugin({ url, key })
 * await plugin.execute('subscribe', { channel: 'chat' })
 */
export function createRealtimePlugin(options: RealtimePluginOptions = {}): RealtimePlugin {
  const instanceId = shortId()
  const host = options.host ?? createMemoryHost()
  const maxMessages = options.maxMessages ?? 200
  const state = createRealtimeState(maxMessages)
  const pinia = options.pinia ?? createPinia()
  const scope = effectScope(true)
  const storeDefinition = defineRealtimeStore(`supabase-realtime-${instanceId}`, state)
  const store = scope.run(() => storeDefinition(pinia)) as RealtimeStore

  let client: SupabaseClient | null = options.client ?? null
  let ownsClient = false
  const settingsIssues = validateSettings({
    url: options.url,
    key: options.key,
    maxMessages: options.maxMessages,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    maxMessagesPerSecond: options.maxMessagesPerSecond,
  }).filter(
    (issue) => !client || (issue.field !== 'url' && issue.field !== 'key'),
  )
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? options.realtime?.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
  if (!client && settingsIssues.length === 0) {
    const relay = createHeartbeatRelay(options.realtime?.heartbeatCallback)
    client = createClient(options.url as string, options.key as string, {
      realtime: { ...options.realtime, heartbeatIntervalMs, heartbeatCallback: relay.callback },
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      ...(options.accessToken
        ? {}
        : { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, storageKey: `sb-realtime-plugin-${instanceId}` } }),
    })
    attachHeartbeatRelay(client.realtime, relay)
    ownsClient = true
  }
  const runtime =
    client && settingsIssues.length === 0
      ? new RealtimeRuntime({
          client,
          host,
          state,
          instanceId,
          heartbeatIntervalMs,
          live: {
            window: options.window === undefined ? defaultWindow() : options.window,
            ...(options.maxMessagesPerSecond !== undefined ? { maxMessagesPerSecond: options.maxMessagesPerSecond } : {}),
          },
          ...(options.wakeEvents !== undefined ? { wakeEvents: options.wakeEvents } : {}),
          ...(options.reopenAfterMs ? { reopenAfterMs: options.reopenAfterMs } : {}),
        })
      : null
  let disposed = false

  const variables = Object.freeze({
    get connection() {
      return state.connection.value
    },
    get channels() {
      return state.channels.value
    },
    get messages() {
      return state.messages.value
    },
    get presence() {
      return state.presence.value
    },
    get changes() {
      return state.changes.value
    },
    get collections() {
      return state.collections.value
    },
    get cursors() {
      return state.cursors.value
    },
    get liveState() {
      return state.liveState.value
    },
  }) as RealtimeVariablesView

  async function execute(actionId: string, input: unknown): Promise<unknown> {
    const action = (ACTIONS as Record<string, (typeof ACTIONS)[ActionId] | undefined>)[actionId]
    if (!action) {
      throw errorFor('UNKNOWN_ACTION', 'unknown', { actionId, known: Object.keys(ACTIONS) }, { field: 'actionId', details: { actionId } })
    }
    if (disposed) throw new RealtimePluginError('DISPOSED')
    if (!runtime) {
      const first = settingsIssues[0]
      throw errorFor('NOT_CONFIGURED', 'settings', { problem: first?.message ?? null, fix: first?.fix ?? null }, { field: first?.field ?? 'url', details: { issues: settingsIssues } })
    }
    const issues = action.validate(input)
    if (issues.length > 0) throw invalidInput(issues)
    try {
      return await runAction(action as (typeof ACTIONS)[ActionId] & { execute(input: unknown, ctx: { runtime: RealtimeRuntime }): Promise<unknown> }, input, { runtime })
    } catch (error) {
      throw toPluginError(error, FALLBACK_CODES[action.id])
    }
  }

  const plugin: RealtimePlugin = {
    execute: execute as RealtimePlugin['execute'],
    variables,
    actions: ACTIONS,
    host,
    client,
    store,
    async dispose() {
      if (disposed) return
      disposed = true
      try {
        await runtime?.dispose()
      } finally {
        if (ownsClient && client) {
          await client.removeAllChannels()
          await client.realtime.disconnect()
        }
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
  if (runtime) runtimes.set(plugin, runtime)
  return plugin
}
