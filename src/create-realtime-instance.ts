import type { RealtimeClientOptions } from '@supabase/realtime-js'
import type { DeepReadonly } from 'vue'
import { ACTIONS, type ActionInputs, type ActionResults } from '../actions/action-list'
import { runAction, type ActionId } from '../actions/define-action'
import { validateSettings } from '../editor-config/validate-settings'
import { DEFAULT_HEARTBEAT_INTERVAL_MS, type WakeEventSource } from './core/connection-monitor'
import { createRealtimeRestClient } from './core/create-realtime-rest-client'
import { RealtimePluginError, errorFor, invalidInput, toPluginError, type RealtimeErrorCode } from './core/errors'
import { attachHeartbeatRelay, createHeartbeatRelay } from './core/heartbeat-relay'
import type { PointerWindow } from './core/live/live-types'
import { VARIABLE_IDS, type RealtimeVariables } from './core/types'
import type { HostAdapter } from './core/host-adapter'
import type { RealtimeRestClient } from './core/realtime-rest-client'
import { RealtimeRuntime } from './runtime/realtime-runtime'
import { createRealtimeState, type RealtimeState } from './store/realtime-state'

/** Options of {@link createRealtimeInstance} (and of `createRealtimePlugin`). */
export interface RealtimeInstanceOptions {
  /** Supabase project URL, e.g. `https://xyz.supabase.co` (not needed with `client`). */
  url?: string
  /** Public (anon) key (not needed with `client`). */
  key?: string
  /** The no-code host. */
  host: HostAdapter
  /** An existing Supabase client to share (e.g. an app's own `SupabaseClient`, with an auth plugin); its session token is used. */
  client?: RealtimeRestClient
  /** Messages (and database changes) kept per channel. @default 200 */
  maxMessages?: number
  /** Passed to the Realtime client (`@supabase/realtime-js`) when the plugin creates the client (e.g. `transport` on Node). */
  realtime?: RealtimeClientOptions
  /** Returns the user's access token, when the plugin creates the client and auth lives elsewhere. */
  accessToken?: () => Promise<string | null>
  /** Delay before reopening a channel the server closed, by attempt. @default 1 s, 2 s, 5 s, then 10 s */
  reopenAfterMs?: (attempt: number) => number
  /**
   * How often the connection is checked, in milliseconds: a link silent for two intervals is
   * reported lost and reconnected. Used as the Realtime client's heartbeat when the plugin creates the
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

/** A plugin instance without Vue or Pinia around it: what a host such as WeWeb runs. */
export interface RealtimeInstance {
  /** Runs a workflow action by id; validates the input first and throws {@link RealtimePluginError}. */
  execute<K extends ActionId>(actionId: K, input: ActionInputs[K]): Promise<ActionResults[K]>
  execute(actionId: string, input: unknown): Promise<unknown>
  /** Reactive, read-only variables. */
  readonly variables: RealtimeVariablesView
  readonly actions: typeof ACTIONS
  readonly host: HostAdapter
  /** The Supabase client in use, or `null` when the settings are incomplete. */
  readonly client: RealtimeRestClient | null
  /** Leaves every channel and releases the connection (and the client, when the plugin created it). */
  dispose(): Promise<void>
}

/** @internal What `createRealtimePlugin` builds its Pinia store on. */
export interface _RealtimeInstanceParts {
  readonly instance: RealtimeInstance
  readonly instanceId: string
  readonly state: RealtimeState
  readonly runtime: RealtimeRuntime | null
}

const runtimes = new WeakMap<object, RealtimeRuntime>()

/** @internal Links a plugin object to its runtime, for {@link _runtimeOf}. */
export function _linkRuntime(owner: object, runtime: RealtimeRuntime | null): void {
  if (runtime) runtimes.set(owner, runtime)
}

/** @internal The runtime of a plugin instance, or `null` when its settings are incomplete (for the WeWeb entry and composables). */
export function _runtimeOf(instance: RealtimeInstance): RealtimeRuntime | null {
  return runtimes.get(instance) ?? null
}

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
 * Creates the Realtime plugin without Vue or Pinia around it: workflow actions, app-level triggers
 * (through `host`) and reactive variables. `createRealtimePlugin` adds the Pinia store and the Vue
 * plugin hook; a host that reads the variables through its own API (WeWeb) needs neither.
 */
export function createRealtimeInstance(options: RealtimeInstanceOptions): RealtimeInstance {
  return _createRealtimeInstanceParts(options).instance
}

/** @internal {@link createRealtimeInstance}, with what `createRealtimePlugin` needs for its store. */
export function _createRealtimeInstanceParts(options: RealtimeInstanceOptions): _RealtimeInstanceParts {
  const instanceId = shortId()
  const host = options.host
  const maxMessages = options.maxMessages ?? 200
  const state = createRealtimeState(maxMessages)

  let client: RealtimeRestClient | null = options.client ?? null
  let ownsClient = false
  // NOTE: the validator reads only the settings among the options.
  const settingsIssues = validateSettings(options).filter((issue) => !client || (issue.field !== 'url' && issue.field !== 'key'))
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? options.realtime?.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
  if (!client && settingsIssues.length === 0) {
    const relay = createHeartbeatRelay(options.realtime?.heartbeatCallback)
    client = createRealtimeRestClient(options.url as string, options.key as string, {
      realtime: { ...options.realtime, heartbeatIntervalMs, heartbeatCallback: relay.callback },
      accessToken: options.accessToken,
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
          live: { window: options.window === undefined ? defaultWindow() : options.window, maxMessagesPerSecond: options.maxMessagesPerSecond },
          // NOTE: `undefined` options keep their defaults below.
          wakeEvents: options.wakeEvents,
          reopenAfterMs: options.reopenAfterMs,
        })
      : null
  let disposed = false

  // NOTE: one getter per variable id, reading the state at access time (reactive in Vue).
  const variables = Object.freeze(
    Object.defineProperties({}, Object.fromEntries(VARIABLE_IDS.map((id) => [id, { enumerable: true, get: () => state[id].value }]))),
  ) as RealtimeVariablesView

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

  const instance: RealtimeInstance = {
    execute: execute as RealtimeInstance['execute'],
    variables,
    actions: ACTIONS,
    host,
    client,
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
      }
    },
  }
  _linkRuntime(instance, runtime)
  return { instance, instanceId, state, runtime }
}
