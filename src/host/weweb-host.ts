import type { TriggerConditions, TriggerId, TriggerPayloads } from '../core/trigger-payloads'
import type { RealtimeVariables, VariableId } from '../core/types'
import type { HostAdapter } from '../core/host-adapter'

/** What the plugin reads of WeWeb's Supabase Auth plugin (`wwLib.wwPlugins.supabaseAuth`). */
export interface WwSupabaseAuthPlugin {
  /** The Supabase client the auth plugin signs users in with; `null` until it has loaded. */
  publicInstance?: {
    supabaseUrl?: string
    supabaseKey?: string
    auth?: {
      getSession(): Promise<{ data: { session: { access_token?: string } | null } }>
      onAuthStateChange(callback: (event: string, session: unknown) => void): { data: { subscription: { unsubscribe(): void } } }
    }
  } | null
}

/** The part of WeWeb's runtime library (`window.wwLib`) the plugin uses. */
export interface WwLib {
  wwPlugins?: { supabaseAuth?: WwSupabaseAuthPlugin } & Record<string, unknown>
  wwWorkflow: { executeTrigger(triggerId: string, payload: { event: unknown; conditions: Record<string, unknown> }): unknown }
  wwVariable: { updateValue(variableId: string, value: unknown): unknown }
  wwLog?: { error?(...args: unknown[]): void; warn?(...args: unknown[]): void; info?(...args: unknown[]): void }
}

declare const wwLib: WwLib | undefined

/** WeWeb's runtime library, or `undefined` outside WeWeb. */
function found(): WwLib | undefined {
  return typeof wwLib === 'undefined' ? undefined : (wwLib ?? undefined)
}

function lib(): WwLib {
  const ww = found()
  if (!ww) throw new Error('wwLib is not available: the WeWeb host adapter only runs inside WeWeb.')
  return ww
}

/** Plain JSON copy, so WeWeb never holds (or deep-proxies) the plugin's internal objects. */
function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/**
 * The WeWeb host adapter, the only file that touches `wwLib`: triggers run through
 * `wwWorkflow.executeTrigger('<pluginId>-<triggerId>', { event, conditions })` and variables are
 * written with `wwVariable.updateValue('<pluginId>-<name>', value)`.
 */
export function createWewebHost(pluginId: string): HostAdapter {
  return {
    emitTrigger<K extends TriggerId>(triggerId: K, event: TriggerPayloads[K], conditions: TriggerConditions[K]) {
      void lib().wwWorkflow.executeTrigger(`${pluginId}-${triggerId}`, { event: toPlain(event), conditions: { ...conditions } })
    },
    setVariable<K extends VariableId>(name: K, value: RealtimeVariables[K]) {
      void lib().wwVariable.updateValue(`${pluginId}-${name}`, toPlain(value))
    },
    log(level, message, meta) {
      const fn = found()?.wwLog?.[level]
      if (fn) fn(`[Realtime] ${message}`, meta ?? {})
      else if (level !== 'info') console.warn(`[Realtime] ${message}`, meta ?? {})
    },
  }
}

/** The client of WeWeb's Supabase Auth plugin, when it is installed and loaded. */
export function supabaseAuthClient(): NonNullable<WwSupabaseAuthPlugin['publicInstance']> | null {
  return found()?.wwPlugins?.supabaseAuth?.publicInstance ?? null
}

/** The signed-in user's access token from the Supabase Auth plugin, or `null` (then the public key is used). */
export async function supabaseAuthToken(): Promise<string | null> {
  const auth = supabaseAuthClient()?.auth
  if (!auth) return null
  const { data } = await auth.getSession()
  return data.session?.access_token ?? null
}

/** How often the plugin looks for a Supabase Auth plugin that loaded (or reloaded) after it. */
export const AUTH_POLL_MS = 500

/**
 * Calls `onChange` whenever the Supabase Auth plugin's client appears or is replaced, and on each
 * of its auth events (sign-in, sign-out, token refresh). Returns the function that stops following.
 */
export function followSupabaseAuth(onChange: () => void): () => void {
  const listen = (client: ReturnType<typeof supabaseAuthClient>): (() => void) | null => {
    if (!client?.auth) return null
    const { data } = client.auth.onAuthStateChange(() => onChange())
    return () => data.subscription.unsubscribe()
  }
  let current = supabaseAuthClient()
  let unsubscribe = listen(current)
  // NOTE: WeWeb gives no hook when another plugin loads; its client is one property read away.
  const timer = setInterval(() => {
    const next = supabaseAuthClient()
    if (next === current) return
    current = next
    unsubscribe?.()
    unsubscribe = listen(next)
    onChange()
  }, AUTH_POLL_MS)
  return () => {
    clearInterval(timer)
    unsubscribe?.()
    unsubscribe = null
  }
}
