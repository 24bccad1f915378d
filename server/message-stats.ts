import type { RateCounter } from './limits'

/** Where a broadcast entered the server: a client's WebSocket push, the REST API, or the database (`realtime.send`). */
export type BroadcastSource = 'socket' | 'rest' | 'database'

/** The id under which the local server reports its single tenant (the `supabase start` tenant). */
export const LOCAL_TENANT_ID = 'realtime-dev'

/**
 * Message counts of one tenant since the server started (cumulative: take two snapshots and
 * subtract to measure an interval), plus its message rate as the limiter sees it now.
 */
export interface RealtimeMessageStats {
  /** The tenant counted (the local server has one). */
  tenant: string
  /** When counting started (the server's start), in ms since the epoch. */
  since: number
  /** When this snapshot was taken, in ms since the epoch. */
  at: number
  /** Broadcasts the server accepted for fan-out, from every source (rate-limited ones included). */
  received: number
  /** {@link received}, by where each broadcast came from. */
  receivedBySource: Record<BroadcastSource, number>
  /** Broadcast copies sent to subscribed channels (the sender's own copy only with `self: true`). */
  delivered: number
  /** Presence diffs sent to subscribed channels (not part of the message budget, as on Supabase). */
  presenceDelivered: number
  /**
   * Events the message limiter counted: one per broadcast received plus one per channel of its
   * topic. This is what `maxEventsPerSecond` is compared with.
   */
  limiterEvents: number
  /** Broadcasts refused because the budget was exceeded (every channel of their topic was shut). */
  rateLimited: number
  /** Channels shut with `Too many messages per second`. */
  channelsShut: number
  /** The limiter's current rate: events in the last `rateWindowMs`, per second. */
  eventsPerSecond: number
  /** The highest {@link eventsPerSecond} seen right after a broadcast was counted. */
  peakEventsPerSecond: number
  /** The budget (`limits.maxEventsPerSecond`). */
  maxEventsPerSecond: number
  /** The window the limiter averages over (`limits.rateWindowMs`). */
  rateWindowMs: number
}

/** Cumulative message counters of one tenant; the tenant feeds them as it fans messages out. */
export class MessageStats {
  private readonly since = Date.now()
  private readonly received: Record<BroadcastSource, number> = { socket: 0, rest: 0, database: 0 }
  private delivered = 0
  private presenceDelivered = 0
  private limiterEvents = 0
  private rateLimited = 0
  private channelsShut = 0
  private peak = 0

  constructor(
    private readonly events: RateCounter,
    private readonly maxEventsPerSecond: number,
  ) {}

  /** A broadcast reached the fan-out; the limiter counted `counted` events for it. */
  broadcastReceived(source: BroadcastSource, counted: number): void {
    this.received[source]++
    this.limiterEvents += counted
    const rate = this.rate()
    if (rate > this.peak) this.peak = rate
  }

  /** `copies` broadcast copies went out to channels. */
  broadcastDelivered(copies: number): void {
    this.delivered += copies
  }

  /** A broadcast was refused over budget and `channels` channels were shut. */
  broadcastRateLimited(channels: number): void {
    this.rateLimited++
    this.channelsShut += channels
  }

  /** `copies` presence diffs went out to channels. */
  presenceDiffDelivered(copies: number): void {
    this.presenceDelivered += copies
  }

  /** A snapshot of every counter. */
  snapshot(now: number = Date.now()): RealtimeMessageStats {
    const { socket, rest, database } = this.received
    return {
      tenant: LOCAL_TENANT_ID,
      since: this.since,
      at: now,
      received: socket + rest + database,
      receivedBySource: { socket, rest, database },
      delivered: this.delivered,
      presenceDelivered: this.presenceDelivered,
      limiterEvents: this.limiterEvents,
      rateLimited: this.rateLimited,
      channelsShut: this.channelsShut,
      eventsPerSecond: this.rate(now),
      peakEventsPerSecond: this.peak,
      maxEventsPerSecond: this.maxEventsPerSecond,
      rateWindowMs: this.events.windowMs,
    }
  }

  private rate(now: number = Date.now()): number {
    return (this.events.total(now) * 1000) / this.events.windowMs
  }
}
