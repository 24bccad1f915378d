import type { PresenceChange } from '../core/presence-fold'
import type { TriggerConditions, TriggerPayloads } from '../core/trigger-payloads'
import type { ChannelPresence, ChannelState } from '../core/types'

/** One trigger emission: the event and the conditions workflows filter on. */
export interface TriggerEmission<K extends keyof TriggerPayloads> {
  event: TriggerPayloads[K]
  conditions: TriggerConditions[K]
}

/** The `channel-status` event of a state change, or `null` when neither the status nor the error message changed. */
export function channelStatusEvent(name: string, previous: ChannelState | null, state: ChannelState | null): TriggerEmission<'channel-status'> | null {
  const status = state?.status ?? 'REMOVED'
  if (previous?.status === state?.status && (previous?.error?.message ?? null) === (state?.error?.message ?? null)) return null
  const resumed = state?.status === 'SUBSCRIBED' && state.resumed
  return {
    event: {
      channel: name,
      status,
      previousStatus: previous?.status ?? null,
      error: state?.error ?? null,
      resumed,
      downtimeMs: resumed ? state.downtimeMs : null,
      lastMessageAt: state?.lastMessageAt ?? null,
    },
    conditions: { channel: name, status },
  }
}

/** The `presence` events of a server sync: one per changed key, then `sync` with every member (read lazily). */
export function presenceEvents(name: string, view: ChannelPresence, changes: readonly PresenceChange[]): Array<TriggerEmission<'presence'>> {
  const count = view.count
  const out: Array<TriggerEmission<'presence'>> = changes.map((change) => ({
    event: { channel: name, event: change.event, key: change.key, member: change.member, previous: change.previous, members: [], count },
    conditions: { channel: name, event: change.event },
  }))
  const sync = { channel: name, event: 'sync', key: null, member: null, previous: null, count } as TriggerPayloads['presence']
  Object.defineProperty(sync, 'members', { enumerable: true, get: () => view.members })
  out.push({ event: sync, conditions: { channel: name, event: 'sync' } })
  return out
}
