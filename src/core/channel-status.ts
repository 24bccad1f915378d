import { errorFromServerReason, isTransientReason, isTransportReason } from './error-from-server'
import { errorFor, type RealtimePluginError } from './errors'
import type { RegistryEntry } from './registry-entry'
import type { SystemMessage } from './sdk-channel'
import type { ChannelState } from './types'

/** What the status machine needs from the registry that holds the entry. */
export interface StatusLink {
  /** Sets part of the entry's state and reports it. */
  setState(entry: RegistryEntry, patch: Partial<ChannelState>): void
  /** Resolves the Subscribe waiters if the channel is ready. */
  settleWaiters(entry: RegistryEntry): void
  /** Rejects the Subscribe waiters (a failed first subscribe removes the channel). */
  failWaiters(entry: RegistryEntry, error: RealtimePluginError): void
  /** Sets the replay request of the rejoin supabase-js makes by itself. */
  prepareRejoin(entry: RegistryEntry): void
  /** Reopens the channel later (the server closed it). */
  scheduleReopen(entry: RegistryEntry): void
}

/**
 * The status machine of one channel: what each supabase-js status (`SUBSCRIBED`,
 * `CHANNEL_ERROR`, `TIMED_OUT`, `CLOSED`) does to the channel's state, its waiters and pushes.
 */
export function applyStatus(link: StatusLink, entry: RegistryEntry, status: string, error: Error | undefined): void {
  switch (status) {
    case 'SUBSCRIBED': {
      entry.reopen.joined()
      const now = Date.now()
      const resumed = entry.joins > 0
      const downtimeMs = resumed && entry.downSince !== null ? now - entry.downSince : null
      entry.joins++
      entry.downSince = null
      // NOTE: dbReady is reset on every error and set by the server's `system` message.
      link.setState(entry, { status: 'SUBSCRIBED', joinedAt: now, error: null, resumed, downtimeMs })
      entry.guards.joined()
      if (entry.channel) void entry.presence.rejoined(entry.channel)
      link.settleWaiters(entry)
      return
    }
    case 'CHANNEL_ERROR':
    case 'TIMED_OUT': {
      // supabase-js rejoins by itself after both.
      const reason = error?.message ?? 'channel error'
      const pluginError =
        status === 'TIMED_OUT'
          ? errorFor('SUBSCRIBE_TIMED_OUT', 'joinRetrying', { channel: entry.name })
          : errorFromServerReason(reason, { channel: entry.name, source: isTransportReason(reason) ? 'transport' : 'join' })
      left(entry)
      link.prepareRejoin(entry)
      link.setState(entry, { status, error: pluginError.toJSON(), dbReady: false })
      // NOTE: transient failures keep Subscribe waiting (supabase-js retries the join); others end it.
      if (status === 'CHANNEL_ERROR' && !isTransientReason(reason)) link.failWaiters(entry, pluginError)
      return
    }
    case 'CLOSED': {
      if (entry.closing) return
      const reason = entry.lastSystemError ?? 'the channel was closed by the server'
      const pluginError = errorFromServerReason(reason, { channel: entry.name, source: 'close' })
      entry.channel = null
      left(entry)
      link.setState(entry, { status: 'CLOSED', error: pluginError.toJSON(), dbReady: false })
      entry.guards.closed(pluginError)
      if (entry.waiters.hasInitial()) {
        link.failWaiters(entry, pluginError)
        return
      }
      link.scheduleReopen(entry)
      return
    }
  }
}

/** A `system` message: the database subscription confirmed or refused, or the reason of a coming close. */
export function applySystem(link: StatusLink, entry: RegistryEntry, payload: SystemMessage): void {
  const message = String(payload.message ?? '')
  if (payload.extension === 'postgres_changes') {
    if (payload.status === 'ok') {
      link.setState(entry, { dbReady: true, error: entry.state.error?.code === 'DATABASE_SUBSCRIBE_FAILED' ? null : entry.state.error })
      link.settleWaiters(entry)
    } else {
      const error = errorFromServerReason(message, { channel: entry.name, source: 'database' })
      link.setState(entry, { dbReady: false, error: error.toJSON() })
      link.failWaiters(entry, error)
    }
    return
  }
  if (payload.status === 'error') entry.lastSystemError = message
}

/** The channel is no longer joined: remember since when, and tell pushes in flight. */
function left(entry: RegistryEntry): void {
  if (entry.downSince === null && entry.joins > 0) entry.downSince = Date.now()
  entry.guards.left()
}
