import { BroadcastFrames, type OutboundBroadcast } from './broadcast-frames'
import type { ChannelPermissions, DatabaseHooks } from './database-hooks'
import { RateCounter } from './limits'
import type { RealtimeLogger } from './logger'
import { MessageStats, type BroadcastSource } from './message-stats'
import type { ResolvedOptions } from './options'
import { PresenceRegistry, type PresenceDiff } from './presence-registry'
import { Pubsub, pubsubKey } from './pubsub'
import { encodeText, type Vsn } from './serializer'

/** Result of {@link RealtimeTenant.publish}. */
export type PublishResult = 'ok' | 'rate_limited'

/** A joined channel as the tenant fans messages out to it (`Channel` implements it). */
export interface Subscriber {
  readonly selfBroadcast: boolean
  readonly permissions: ChannelPermissions
  readonly session: { readonly vsn: Vsn; sendFrame(frame: string | Buffer): void }
  /** Sends the broadcast to the channel's socket; `false` when the channel skips it. */
  deliverBroadcast(frames: BroadcastFrames): boolean
  shutdown(reason: string): void
}

/** A connected socket as the tenant keeps it (`SocketSession` implements it). */
export interface TrackedSession {
  readonly lastSeen: number
  close(code?: number, reason?: string): void
}

/**
 * The shared state of one server (a single tenant): channel subscriptions, presence, rate
 * counters and connected sockets. Fan-out of broadcasts and presence diffs lives here.
 */
export class RealtimeTenant {
  readonly pubsub = new Pubsub<Subscriber>()
  readonly presence = new PresenceRegistry()
  readonly events: RateCounter
  readonly joins: RateCounter
  /** What the tenant received and delivered since the server started. */
  readonly stats: MessageStats
  readonly sessions = new Set<TrackedSession>()
  /** Sockets counted in the concurrent-users limit (from their first join attempt). */
  countedUsers = 0
  shuttingDown = false
  private nextUid = 1
  private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>()

  constructor(readonly options: ResolvedOptions) {
    this.events = new RateCounter(options.limits.rateWindowMs)
    this.joins = new RateCounter(options.limits.rateWindowMs)
    this.stats = new MessageStats(this.events, options.limits.maxEventsPerSecond)
  }

  get log(): RealtimeLogger {
    return this.options.logger
  }

  get database(): DatabaseHooks | null {
    return this.options.database
  }

  /** A fresh id for a channel (presence owner). */
  uid(): number {
    return this.nextUid++
  }

  /** Wait `ms`; resolves at once when the server stops. */
  delay(ms: number): Promise<void> {
    if (ms <= 0 || this.shuttingDown) return Promise.resolve()
    return new Promise((resolve) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          this.delays.delete(entry)
          resolve()
        }, ms),
      }
      this.delays.add(entry)
    })
  }

  /** Resolve every pending {@link delay} now (server stopping). */
  cancelDelays(): void {
    for (const entry of this.delays) {
      clearTimeout(entry.timer)
      entry.resolve()
    }
    this.delays.clear()
  }

  /**
   * Fan a broadcast out to every channel of its topic (public and private kept apart). `sender`
   * is skipped unless it joined with `self: true`. When the server-wide message rate is exceeded,
   * every receiving channel (and the sender) is closed with `Too many messages per second`.
   * `source` says where the broadcast came from, for {@link stats}.
   */
  publish(broadcast: OutboundBroadcast, isPrivate: boolean, sender: Subscriber | null, source: BroadcastSource = sender ? 'socket' : 'rest'): PublishResult {
    const subscribers = this.pubsub.subscribers(pubsubKey(broadcast.topic, isPrivate))
    const { maxEventsPerSecond } = this.options.limits
    this.events.add(1 + subscribers.size)
    this.stats.broadcastReceived(source, 1 + subscribers.size)
    if (this.events.exceeds(maxEventsPerSecond)) {
      const shut = new Set(subscribers)
      if (sender) shut.add(sender)
      this.stats.broadcastRateLimited(shut.size)
      for (const channel of shut) channel.shutdown('Too many messages per second')
      return 'rate_limited'
    }
    if (subscribers.size === 0) return 'ok'
    const frames = new BroadcastFrames(broadcast)
    let delivered = 0
    for (const channel of subscribers) {
      if (channel === sender && !channel.selfBroadcast) continue
      if (channel.deliverBroadcast(frames)) delivered++
    }
    this.stats.broadcastDelivered(delivered)
    return 'ok'
  }

  /** `true` when the server-wide message rate is already exceeded (REST answers 429). */
  eventsExceeded(extra = 0): boolean {
    return this.events.total() + extra > this.events.budget(this.options.limits.maxEventsPerSecond)
  }

  /** Send a presence diff to every channel of the topic, the tracker included. */
  publishPresenceDiff(key: string, topic: string, diff: PresenceDiff): void {
    const cache: Partial<Record<Vsn, string>> = {}
    let delivered = 0
    for (const channel of this.pubsub.subscribers(key)) {
      if (!channel.permissions.presenceRead) continue
      const vsn = channel.session.vsn
      const frame = (cache[vsn] ??= encodeText({ joinRef: null, ref: null, topic, event: 'presence_diff', payload: diff }, vsn))
      channel.session.sendFrame(frame)
      delivered++
    }
    this.stats.presenceDiffDelivered(delivered)
  }
}
