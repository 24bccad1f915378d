import type { RealtimeChannel } from '@supabase/supabase-js'
import { errorFor } from './errors'
import { PresenceFold, type PresenceChange, type PresenceMeta } from './presence-fold'
import { stableJson } from '../../filter'
import { emit } from './emit'
import { waitSignal } from './wait-signal'
import type { ChannelPresence, ChannelStatus, PresenceMember } from './types'

/** How long a presence update waits for its own echo before it resolves anyway. */
const SELF_WAIT_MS = 3000

/** What the presence of one channel needs from the channel it lives on. */
export interface PresenceLink {
  /** The current status of the channel. */
  status(): ChannelStatus
  /** The joined SDK channel, once it is SUBSCRIBED (rejects after `timeoutMs`). */
  whenJoined(timeoutMs: number): Promise<RealtimeChannel>
  /** Settles like `work`, unless the server closes the channel first. */
  untilClosed<T>(work: Promise<T>): Promise<T>
  log(level: 'warn', message: string, meta?: Record<string, unknown>): void
}

/** A presence update to show: the new view and, per key, what changed (empty for a change of our own state). */
export type PresenceListener = (view: ChannelPresence, changes: readonly PresenceChange[], synced: boolean) => void

/**
 * Everything about presence on one channel, in one place: the members (folded from supabase-js
 * join/leave/sync events), this instance's key and tracked state, sending that state (again
 * after every rejoin) and waiting until the server echoes it.
 */
export class ChannelPresenceTracker {
  readonly #fold = new PresenceFold()
  #tracked: Record<string, unknown> | null = null
  readonly #waiters = new Set<() => void>()
  #view: ChannelPresence

  readonly #link: PresenceLink
  readonly #onChange: PresenceListener
  constructor(
    readonly channel: string,
    readonly key: string,
    link: PresenceLink,
    onChange: PresenceListener,
  ) {
    this.#link = link
    this.#onChange = onChange
    this.#view = this.#buildView()
  }

  /** The current `presence.<channel>` value. */
  current(): ChannelPresence {
    return this.#view
  }

  /** Listens to the presence events of a new SDK channel; `live()` says whether it is still the channel in use. */
  bind(channel: RealtimeChannel, live: () => boolean): void {
    channel.on('presence', { event: 'join' }, (p: { key: string; newPresences: PresenceMeta[] }) => {
      if (live()) this.#fold.join(p.key, p.newPresences)
    })
    channel.on('presence', { event: 'leave' }, (p: { key: string; leftPresences: PresenceMeta[] }) => {
      if (live()) this.#fold.leave(p.key, p.leftPresences)
    })
    channel.on('presence', { event: 'sync' }, () => {
      if (!live()) return
      const changes = this.#fold.sync()
      this.#publish(changes, true)
      emit(this.#waiters)
    })
  }

  /** The channel joined again: share the tracked state once more. */
  async rejoined(channel: RealtimeChannel): Promise<void> {
    const state = this.#tracked
    if (!state) return
    const result = await channel.track(state)
    if (result !== 'ok') this.#link.log('warn', `Presence could not be sent again on "${this.channel}" after a rejoin`, { response: result })
  }

  /**
   * Tracks (or, with `null`, untracks) this instance's presence and waits for the server's echo;
   * the state is kept and sent again after every rejoin.
   */
  async update(state: Record<string, unknown> | null, timeoutMs: number, waitForEcho: boolean): Promise<void> {
    const before = this.#tracked
    if (await this.#send(state, timeoutMs) === 'unchanged' || !waitForEcho) return
    const wanted = state === null ? null : stableJson(state)
    const previous = before === null ? null : stableJson(before)
    const done = () => {
      const member = this.#fold.get(this.key)
      if (wanted !== null) return !!member && member.metas.some((m) => stableJson(m) === wanted)
      return !member || previous === null || !member.metas.some((m) => stableJson(m) === previous)
    }
    await (done() ? null : waitSignal(this.#waiters, Math.min(timeoutMs, SELF_WAIT_MS), undefined, done))
  }

  async #send(state: Record<string, unknown> | null, timeoutMs: number): Promise<'ok' | 'unchanged'> {
    const previous = this.#tracked
    const name = this.channel
    if (state !== null && previous !== null && JSON.stringify(previous) === JSON.stringify(state) && this.#link.status() === 'SUBSCRIBED') {
      return 'unchanged'
    }
    if (state === null && previous === null) return 'unchanged'
    this.#setTracked(state)
    let channel: RealtimeChannel
    try {
      channel = await this.#link.whenJoined(timeoutMs)
    } catch (error) {
      // NOTE: the state stays recorded and is sent as soon as the channel rejoins.
      const status = this.#link.status()
      throw errorFor('PRESENCE_FAILED', 'notConnected', { channel: name, status, untracking: state === null }, { field: 'channel', details: { channel: name, status }, cause: error })
    }
    let result: string
    try {
      result = await this.#link.untilClosed(state === null ? channel.untrack({ timeout: timeoutMs }) : channel.track(state, { timeout: timeoutMs }))
    } catch (error) {
      this.#setTracked(previous)
      throw error
    }
    if (result !== 'ok') {
      this.#setTracked(previous)
      throw errorFor('PRESENCE_FAILED', 'refused', { channel: name, timedOut: result === 'timed out' }, { field: state === null ? 'action' : 'state', details: { channel: name, response: result } })
    }
    return 'ok'
  }

  #setTracked(state: Record<string, unknown> | null): void {
    this.#tracked = state
    this.#publish([], false)
  }

  #publish(changes: readonly PresenceChange[], synced: boolean): void {
    this.#view = this.#buildView()
    this.#onChange(this.#view, changes, synced)
  }

  #buildView(): ChannelPresence {
    const fold = this.#fold
    const view = { count: fold.count, self: { key: this.key, tracked: this.#tracked !== null, state: this.#tracked } } as ChannelPresence
    // NOTE: the member list is built on first read, so a presence diff costs the keys it touches.
    let members: PresenceMember[] | null = null
    Object.defineProperty(view, 'members', { enumerable: true, get: () => (members ??= fold.list()) })
    return view
  }
}
