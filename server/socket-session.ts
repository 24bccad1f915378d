import type { RawData, WebSocket } from 'ws'
import { Channel } from './channel'
import type { JwtClaims } from './database-hooks'
import { joinChannel, type PendingJoin } from './join-channel'
import type { RealtimeTenant } from './realtime-tenant'
import {
  decodeBinary,
  decodeText,
  encodeText,
  encodeUserBroadcast,
  isDecodeFailure,
  type PhoenixMessage,
  type UserBroadcastFrame,
  type UserBroadcastPush,
  type Vsn,
} from './serializer'

/** Bytes queued for one socket beyond which it is closed as too slow. */
const MAX_BUFFERED_BYTES = 256 * 1024 * 1024
/** Frames of one socket handled per turn of the event loop; more wait for the next turn, the socket's reading paused. */
const FRAMES_PER_TURN = 32

/** What the HTTP upgrade established about a socket. */
export interface SessionInit {
  vsn: Vsn
  /** The connect-time key (`x-api-key` header or `apikey` param): the tenant token. */
  token: string
  claims: JwtClaims
  headers: Record<string, string>
}

/**
 * One WebSocket connection: decodes frames, answers heartbeats, routes messages to its joined
 * channels and keeps messages for a topic whose join is still in progress until it settles.
 */
export class SocketSession {
  readonly channels = new Map<string, Channel>()
  readonly pending = new Map<string, PendingJoin>()
  readonly vsn: Vsn
  readonly token: string
  readonly claims: JwtClaims
  readonly headers: Record<string, string>
  lastSeen = Date.now()
  /** Counted once in the concurrent-users limit, on its first successful join. */
  counted = false
  closed = false
  /** Frames handled since the event loop last turned, and frames waiting for a later turn (see {@link FRAMES_PER_TURN}). */
  private framesThisTurn = 0
  private turnScheduled = false
  private readonly backlog: Array<{ data: RawData; isBinary: boolean }> = []

  constructor(
    readonly tenant: RealtimeTenant,
    readonly ws: WebSocket,
    init: SessionInit,
  ) {
    this.vsn = init.vsn
    this.token = init.token
    this.claims = init.claims
    this.headers = init.headers
    tenant.sessions.add(this)
    ws.on('message', (data, isBinary) => this.receive(data, isBinary))
    ws.on('ping', () => (this.lastSeen = Date.now()))
    ws.on('pong', () => (this.lastSeen = Date.now()))
    ws.on('close', () => {
      // NOTE: frames the client sent before closing still count, even those waiting for a turn.
      this.handleBacklog(Infinity)
      this.dispose()
    })
    ws.on('error', (error) => {
      tenant.log.warn('socket error', { error: String(error) })
      this.dispose()
    })
  }

  encode(msg: PhoenixMessage): string {
    return encodeText(msg, this.vsn)
  }

  sendFrame(frame: string | Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // NOTE: a client that stopped reading would otherwise grow the server's memory without bound.
      this.tenant.log.warn('closed a socket that does not read its messages', { bufferedBytes: this.ws.bufferedAmount })
      this.close(1013, 'client too slow')
      return
    }
    this.ws.send(frame)
  }

  sendUserBroadcast(frame: UserBroadcastFrame): void {
    const bytes = encodeUserBroadcast(frame)
    if (bytes) this.sendFrame(bytes)
  }

  /** Reply to `msg` with `phx_reply`, echoing its `ref` and `join_ref`. */
  reply(msg: PhoenixMessage, status: 'ok' | 'error', response: unknown): void {
    this.sendFrame(this.encode({ joinRef: msg.joinRef, ref: msg.ref, topic: msg.topic, event: 'phx_reply', payload: { status, response } }))
  }

  /**
   * Handles at most {@link FRAMES_PER_TURN} frames of this socket per turn of the event loop; the
   * rest waits, in order, with the socket's reading paused. A client sending faster than the server
   * fans out would otherwise keep one turn busy for seconds, and with it timers and signals (a
   * Ctrl-C under load).
   */
  private receive(data: RawData, isBinary: boolean): void {
    this.lastSeen = Date.now()
    if (this.closed) return
    if (this.backlog.length > 0 || this.framesThisTurn >= FRAMES_PER_TURN) {
      this.backlog.push({ data, isBinary })
      if (!this.ws.isPaused) this.ws.pause()
    } else {
      this.framesThisTurn++
      this.onData(data, isBinary)
    }
    this.scheduleTurn()
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return
    this.turnScheduled = true
    setImmediate(() => {
      this.turnScheduled = false
      this.framesThisTurn = 0
      this.handleBacklog(FRAMES_PER_TURN)
      if (this.closed) {
        this.backlog.length = 0
        return
      }
      if (this.backlog.length === 0 && this.ws.isPaused) this.ws.resume()
      if (this.framesThisTurn > 0) this.scheduleTurn()
    })
  }

  private handleBacklog(limit: number): void {
    while (this.backlog.length > 0 && this.framesThisTurn < limit && !this.closed) {
      const next = this.backlog.shift() as (typeof this.backlog)[number]
      this.framesThisTurn++
      this.onData(next.data, next.isBinary)
    }
  }

  private onData(data: RawData, isBinary: boolean): void {
    this.lastSeen = Date.now()
    if (this.closed) return
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
    try {
      if (isBinary) {
        if (this.vsn !== '2.0.0') {
          this.tenant.log.warn('ignored a binary frame on a vsn 1.0.0 socket')
          return
        }
        const push = decodeBinary(bytes)
        if (isDecodeFailure(push)) return this.tenant.log.warn(`ignored a malformed binary frame: ${push.error}`)
        return this.routeUserBroadcast(push)
      }
      const msg = decodeText(bytes.toString('utf8'), this.vsn)
      if (isDecodeFailure(msg)) return this.tenant.log.warn(`ignored a malformed frame: ${msg.error}`)
      this.route(msg)
    } catch (error) {
      this.tenant.log.error('unexpected error while handling a frame', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    }
  }

  /** Route a decoded text message. */
  route(msg: PhoenixMessage): void {
    if (msg.topic === 'phoenix') {
      if (msg.event === 'heartbeat') return this.reply(msg, 'ok', {})
      return this.reply(msg, 'error', { reason: 'unmatched topic' })
    }
    if (msg.event === 'phx_join') return this.startJoin(msg)
    const pending = this.pending.get(msg.topic)
    if (pending) {
      pending.queue.push(() => this.route(msg))
      return
    }
    const channel = this.channelFor(msg.topic, msg.joinRef)
    if (!channel) {
      // NOTE: a leave naming a replaced join raced the server's phx_close; Phoenix drops it without
      // a reply (socket.ex "the client has raced a server close").
      if (msg.event === 'phx_leave' && this.channels.has(msg.topic)) return
      // NOTE: Phoenix answers a leave for an unknown channel with ok (nothing to leave).
      if (msg.event === 'phx_leave') return this.reply(msg, 'ok', {})
      return this.reply(msg, 'error', { reason: 'unmatched topic' })
    }
    this.guard(channel, () => channel.handle(msg))
  }

  private routeUserBroadcast(push: UserBroadcastPush): void {
    const pending = this.pending.get(push.topic)
    if (pending) {
      pending.queue.push(() => this.routeUserBroadcast(push))
      return
    }
    const channel = this.channelFor(push.topic, push.joinRef)
    if (!channel) {
      return this.reply({ joinRef: push.joinRef, ref: push.ref, topic: push.topic, event: 'broadcast', payload: null }, 'error', {
        reason: 'unmatched topic',
      })
    }
    this.guard(channel, () => channel.handleUserBroadcast(push))
  }

  /** The joined channel of `topic`, unless `joinRef` names an older join of it. */
  private channelFor(topic: string, joinRef: string | null): Channel | null {
    const channel = this.channels.get(topic)
    if (!channel || (joinRef !== null && channel.joinRef !== null && joinRef !== channel.joinRef)) return null
    return channel
  }

  private guard(channel: Channel, fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.tenant.log.error('channel crashed', { topic: channel.topic, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
      channel.crash()
    }
  }

  private startJoin(msg: PhoenixMessage): void {
    if (!msg.topic.startsWith('realtime:')) return this.reply(msg, 'error', { reason: 'unmatched topic' })
    // NOTE: a second join on a joined topic replaces the old channel (docs/realtime-protocol.md §2.6).
    this.channels.get(msg.topic)?.closeReplaced()
    const previous = this.pending.get(msg.topic)
    const pending: PendingJoin = { joinRef: msg.joinRef ?? msg.ref, queue: previous?.queue ?? [], superseded: false }
    if (previous) {
      previous.superseded = true
      previous.queue = []
    }
    this.pending.set(msg.topic, pending)
    const settle = (): void => {
      if (this.pending.get(msg.topic) !== pending) return
      this.pending.delete(msg.topic)
      for (const run of pending.queue.splice(0)) run()
    }
    joinChannel(this, msg, pending).then(settle, (error: unknown) => {
      this.tenant.log.error('join failed unexpectedly', { topic: msg.topic, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
      if (!pending.superseded && !this.closed) this.reply(msg, 'error', { reason: `UnknownErrorOnChannel: ${String(error)}` })
      settle()
    })
  }

  /** Close the socket (e.g. after `ClientJoinRateLimitReached`, idle timeout or server stop). */
  close(code = 1000, reason = ''): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason)
    this.dispose()
  }

  /** Leave every channel (presence diffs go out at once) and forget the socket. */
  dispose(): void {
    if (this.closed) return
    this.closed = true
    for (const pending of this.pending.values()) pending.superseded = true
    this.pending.clear()
    for (const channel of [...this.channels.values()]) channel.dispose()
    this.channels.clear()
    if (this.counted) this.tenant.countedUsers--
    this.counted = false
    this.tenant.sessions.delete(this)
  }
}
