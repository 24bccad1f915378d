import { randomUUID } from 'node:crypto'
import { broadcastSize, type BroadcastFrames, type OutboundBroadcast } from './broadcast-frames'
import type { ChannelPermissions, DatabaseBroadcast, JwtClaims, PostgresSubscription } from './database-hooks'
import { verifyJwt } from './jwt'
import { CallWindow } from './limits'
import { pubsubKey } from './pubsub'
import type { RealtimeTenant } from './realtime-tenant'
import type { PhoenixMessage, UserBroadcastFrame, UserBroadcastPush, Vsn } from './serializer'

/** How a joined channel was configured by its `phx_join`. */
export interface ChannelSettings {
  topic: string
  joinRef: string | null
  isPrivate: boolean
  selfBroadcast: boolean
  ack: boolean
  presenceEnabled: boolean
  /** Empty means "a fresh UUID for this join". */
  presenceKey: string
  token: string
  claims: JwtClaims
  permissions: ChannelPermissions
}

/**
 * The socket a channel belongs to, as the channel uses it. `SocketSession` implements it; the
 * channel does not import the session, so the session can own its channels.
 */
export interface ChannelSocket {
  readonly tenant: RealtimeTenant
  readonly vsn: Vsn
  /** The socket's joined channels by topic; a closing channel removes itself. */
  readonly channels: Map<string, Channel>
  encode(msg: PhoenixMessage): string
  sendFrame(frame: string | Buffer): void
  sendUserBroadcast(frame: UserBroadcastFrame): void
}

const PUBLIC_PERMISSIONS: ChannelPermissions = Object.freeze({ broadcastRead: true, presenceRead: true })

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

const utf8 = new TextDecoder()

/** Whether some bytes are JSON text (as the client's decoder will read them). */
function isJsonText(bytes: Uint8Array): boolean {
  try {
    JSON.parse(utf8.decode(bytes))
    return true
  } catch {
    return false
  }
}

/** One joined channel of one socket: broadcast, presence, token and postgres_changes state. */
export class Channel {
  readonly uid: number
  readonly topic: string
  /** Topic without the `realtime:` prefix. */
  readonly name: string
  readonly key: string
  readonly joinRef: string | null
  readonly isPrivate: boolean
  readonly selfBroadcast: boolean
  readonly ack: boolean
  readonly presenceKey: string
  presenceEnabled: boolean
  permissions: ChannelPermissions
  token: string
  claims: JwtClaims
  pgSubscription: PostgresSubscription | null = null
  closed = false
  /** Frames pushed before the join reply went out; flushed right after it. */
  private outbox: Array<string | Buffer> | null = []
  private writeChecks: Partial<Record<'broadcast' | 'presence', Promise<boolean>>> = {}
  private readonly presenceCalls: CallWindow
  private readonly replayedIds = new Set<string>()
  private expiryTimer: NodeJS.Timeout | null = null

  constructor(
    readonly session: ChannelSocket,
    settings: ChannelSettings,
  ) {
    const { tenant } = session
    this.uid = tenant.uid()
    this.topic = settings.topic
    this.name = settings.topic.slice('realtime:'.length)
    this.key = pubsubKey(settings.topic, settings.isPrivate)
    this.joinRef = settings.joinRef
    this.isPrivate = settings.isPrivate
    this.selfBroadcast = settings.selfBroadcast
    this.ack = settings.ack
    this.presenceEnabled = settings.presenceEnabled
    this.presenceKey = settings.presenceKey || randomUUID()
    this.token = settings.token
    this.claims = settings.claims
    this.permissions = settings.isPrivate ? settings.permissions : PUBLIC_PERMISSIONS
    const { presenceMaxCalls, presenceWindowMs } = tenant.options.limits
    this.presenceCalls = new CallWindow(presenceMaxCalls, presenceWindowMs)
  }

  private get tenant() {
    return this.session.tenant
  }

  /** Called right after the ok join reply: subscribe, push presence_state, flush, replay. */
  activate(replay: DatabaseBroadcast[]): void {
    if (this.closed) return
    this.tenant.pubsub.subscribe(this.key, this)
    const outbox = this.outbox ?? []
    this.outbox = null
    if (this.presenceEnabled && this.permissions.presenceRead) this.pushPresenceState()
    for (const frame of outbox) this.session.sendFrame(frame)
    for (const message of replay) this.pushReplayed(message)
    this.armExpiry()
  }

  private send(frame: string | Buffer): void {
    if (this.closed) return
    if (this.outbox) this.outbox.push(frame)
    else this.session.sendFrame(frame)
  }

  /** A push from this channel (carries the current join_ref). */
  push(event: string, payload: unknown): void {
    this.send(this.session.encode({ joinRef: this.joinRef, ref: null, topic: this.topic, event, payload }))
  }

  /** A fan-out style push (`join_ref` null), e.g. `postgres_changes`. */
  pushFanout(event: string, payload: unknown): void {
    this.send(this.session.encode({ joinRef: null, ref: null, topic: this.topic, event, payload }))
  }

  /** A `system` message (docs/realtime-protocol.md §2.5, §7.4). */
  pushSystem(extension: 'system' | 'postgres_changes', status: 'ok' | 'error', message: string): void {
    this.push('system', { extension, status, message, channel: this.name })
  }

  private pushPresenceState(): void {
    this.push('presence_state', this.tenant.presence.state(this.key))
  }

  private reply(msg: PhoenixMessage | UserBroadcastPush, status: 'ok' | 'error', response: unknown): void {
    if (this.closed) return
    this.session.sendFrame(
      this.session.encode({ joinRef: msg.joinRef, ref: msg.ref, topic: this.topic, event: 'phx_reply', payload: { status, response } }),
    )
  }

  /** Deliver a fan-out broadcast, unless this socket may not read it or already got it by replay. */
  deliverBroadcast(frames: BroadcastFrames): boolean {
    if (this.closed || !this.permissions.broadcastRead) return false
    const id = frames.broadcast.id
    if (id !== undefined && this.replayedIds.size > 0 && this.replayedIds.has(id)) return false
    const frame = frames.for(this.session.vsn)
    if (frame === null) return false
    this.send(frame)
    return true
  }

  private pushReplayed(message: DatabaseBroadcast): void {
    this.replayedIds.add(message.id)
    const meta = { replayed: true, id: message.id }
    if (message.binary) {
      if (this.session.vsn !== '2.0.0') return
      const bytes = message.payload instanceof Uint8Array ? message.payload : new Uint8Array(0)
      this.session.sendUserBroadcast({ topic: this.topic, event: message.event, metadata: meta, json: false, payload: bytes })
      return
    }
    this.push('broadcast', { type: 'broadcast', event: message.event, payload: message.payload, meta })
  }

  /** Route one client message addressed to this channel. */
  handle(msg: PhoenixMessage): void {
    switch (msg.event) {
      case 'broadcast':
        return this.handleJsonBroadcast(msg)
      case 'presence':
        return this.handlePresence(msg)
      case 'access_token':
        return this.handleAccessToken(msg)
      case 'phx_leave':
        return this.leave(msg)
      default:
        this.tenant.log.warn('ignored an unknown channel event', { topic: this.topic, event: msg.event })
        return this.reply(msg, 'error', {})
    }
  }

  private handleJsonBroadcast(msg: PhoenixMessage): void {
    if (!isMap(msg.payload)) {
      this.tenant.log.warn('ignored a broadcast whose payload is not an object', { topic: this.topic })
      return
    }
    // NOTE: supabase-js receivers throw on a non-string `event` (it lower-cases it to match
    // listeners) and on an outer `ids` key (it reads the frame as postgres_changes); one bad
    // sender must not break every other client of the channel.
    const rawEvent = msg.payload.event
    if (rawEvent !== undefined && rawEvent !== null && typeof rawEvent !== 'string') {
      return this.refuseBroadcast(msg, 'The broadcast `event` must be a string, like "cursor-move".')
    }
    if ('ids' in msg.payload) {
      return this.refuseBroadcast(msg, 'A broadcast cannot carry a top-level `ids` key; put it inside `payload`.')
    }
    const event = typeof rawEvent === 'string' ? rawEvent : ''
    this.acceptBroadcast(msg, { kind: 'json', topic: this.topic, event, frame: msg.payload })
  }

  /** A binary kind 3 push from a vsn 2 socket. */
  handleUserBroadcast(push: UserBroadcastPush): void {
    // NOTE: a JSON-encoded payload that does not parse would make every vsn 2 receiver throw.
    if (push.json && !isJsonText(push.payload)) {
      return this.refuseBroadcast(push, 'The broadcast payload is not valid JSON although its encoding byte says JSON; send JSON, or bytes with payload encoding 0.')
    }
    // NOTE: the real server does not forward client metadata yet (docs/realtime-protocol.md §3.3, §3.6 `persist`).
    this.acceptBroadcast(push, { kind: 'user', topic: this.topic, event: push.event, json: push.json, payload: push.payload, metadata: null })
  }

  /** Drop a broadcast receivers could not handle; with `ack` the sender learns why. */
  private refuseBroadcast(msg: PhoenixMessage | UserBroadcastPush, reason: string): void {
    this.tenant.log.warn('ignored a broadcast that receiving clients could not handle', { topic: this.topic, reason })
    if (this.ack) this.reply(msg, 'error', { reason })
  }

  private acceptBroadcast(msg: PhoenixMessage | UserBroadcastPush, broadcast: OutboundBroadcast): void {
    if (broadcastSize(broadcast) > this.tenant.options.limits.maxPayloadSizeKb * 1000) {
      if (this.ack) this.reply(msg, 'error', { error: 'payload_size_exceeded' })
      return
    }
    const publish = (): void => {
      if (this.closed) return
      if (this.tenant.publish(broadcast, this.isPrivate, this) === 'ok' && this.ack) this.reply(msg, 'ok', {})
    }
    if (!this.isPrivate) return publish()
    // NOTE: RLS denials are silent: no fan-out and no ack (docs/realtime-protocol.md §3.2, §6.2).
    void this.canWrite('broadcast').then((allowed) => {
      if (allowed) publish()
    })
  }

  /** Write permission of a private channel, checked once and cached until the next access_token. */
  private canWrite(extension: 'broadcast' | 'presence'): Promise<boolean> {
    const db = this.tenant.database
    if (!this.isPrivate) return Promise.resolve(true)
    if (!db) return Promise.resolve(false)
    const cached = this.writeChecks[extension]
    if (cached) return cached
    const checks = this.writeChecks
    const check = db
      .authorizeWrite({ topic: this.name, claims: this.claims, token: this.token, presenceEnabled: this.presenceEnabled }, extension)
      .catch((error: unknown) => {
        this.tenant.log.error('write authorization failed', { topic: this.topic, extension, error: String(error) })
        if (checks[extension] === check) delete checks[extension]
        return false
      })
    checks[extension] = check
    return check
  }

  private handlePresence(msg: PhoenixMessage): void {
    const payload = isMap(msg.payload) ? msg.payload : {}
    const event = typeof payload.event === 'string' ? payload.event.toLowerCase() : ''
    if (event !== 'track' && event !== 'untrack') return this.reply(msg, 'error', {})
    if (!this.presenceCalls.tryCall()) return this.shutdown('Client presence rate limit exceeded')
    if (event === 'untrack') {
      const removed = this.tenant.presence.untrack(this.uid)
      this.reply(msg, 'ok', {})
      if (removed) this.tenant.publishPresenceDiff(this.key, this.topic, removed.diff)
      return
    }
    const meta = payload.payload
    if (!isMap(meta)) return this.reply(msg, 'error', { reason: 'Presence track payload must be a map' })
    if (Buffer.byteLength(JSON.stringify(meta)) > this.tenant.options.limits.maxPayloadSizeKb * 1000) {
      return this.shutdown('Track message size exceeded')
    }
    const track = (): void => {
      if (this.closed) return
      const result = this.tenant.presence.track(this.key, this.presenceKey, this.uid, meta)
      this.reply(msg, 'ok', {})
      if (result.changed) this.tenant.publishPresenceDiff(this.key, this.topic, result.diff)
      if (!this.presenceEnabled) {
        // NOTE: newer servers sync presence after the first track on a channel joined without presence.
        this.presenceEnabled = true
        if (this.permissions.presenceRead) this.pushPresenceState()
      }
    }
    if (!this.isPrivate) return track()
    void this.canWrite('presence').then((allowed) => (allowed ? track() : this.reply(msg, 'error', {})))
  }

  private handleAccessToken(msg: PhoenixMessage): void {
    const token = isMap(msg.payload) ? msg.payload.access_token : undefined
    if (typeof token !== 'string' || token === '' || token.startsWith('sb_') || token === this.token) return
    const result = verifyJwt(token, this.tenant.options.jwtSecret)
    if (!result.ok) return this.shutdown(result.message)
    this.token = token
    this.claims = result.claims
    this.writeChecks = {}
    this.armExpiry()
    const db = this.tenant.database
    if (this.pgSubscription) {
      this.pgSubscription.updateClaims(result.claims).catch((error: unknown) => {
        this.tenant.log.error('postgres_changes claims update failed', { topic: this.topic, error: String(error) })
      })
    }
    if (!this.isPrivate || !db) return
    const claims = result.claims
    db.authorizeRead({ topic: this.name, claims, token, presenceEnabled: this.presenceEnabled }).then(
      (permissions) => {
        if (this.closed || this.token !== token) return
        if (!permissions.broadcastRead && !permissions.presenceRead) {
          this.shutdown(`You no longer have permission to read from this Channel topic: ${this.name}`)
        } else {
          this.permissions = permissions
        }
      },
      (error: unknown) => {
        this.tenant.log.error('read authorization failed', { topic: this.topic, error: String(error) })
        if (!this.closed && this.token === token) this.shutdown('Realtime was unable to connect to the project database')
      },
    )
  }

  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer)
    this.expiryTimer = null
    if (this.closed) return
    const expMs = this.claims.exp * 1000
    const delay = Math.min(this.tenant.options.tokenCheckIntervalMs, expMs - Date.now())
    const check = (): void => {
      if (this.closed) return
      const now = Date.now()
      if (now >= expMs) this.shutdown(`Token has expired ${Math.floor(now / 1000) - this.claims.exp} seconds ago`)
      else this.armExpiry()
    }
    if (delay <= 0) return check()
    this.expiryTimer = setTimeout(check, delay)
    this.expiryTimer.unref()
  }

  private closeFrame(event: 'phx_close' | 'phx_error'): string {
    return this.session.encode({ joinRef: this.joinRef, ref: this.joinRef, topic: this.topic, event, payload: {} })
  }

  /** `phx_leave`: reply ok, then `phx_close`. */
  leave(msg: PhoenixMessage): void {
    this.reply(msg, 'ok', {})
    this.session.sendFrame(this.closeFrame('phx_close'))
    this.dispose()
  }

  /** Close with a `system` error then `phx_close` (docs/realtime-protocol.md §2.6, §7.4). */
  shutdown(message: string): void {
    if (this.closed) return
    this.outbox = null
    this.pushSystem('system', 'error', message)
    this.session.sendFrame(this.closeFrame('phx_close'))
    this.dispose()
  }

  /** A second join replaced this channel: `phx_close` with the old join_ref. */
  closeReplaced(): void {
    if (this.closed) return
    this.session.sendFrame(this.closeFrame('phx_close'))
    this.dispose()
  }

  /** Something went wrong inside the server while handling this channel: `phx_error`. */
  crash(): void {
    if (this.closed) return
    this.session.sendFrame(this.closeFrame('phx_error'))
    this.dispose()
  }

  /** Release everything: subscription, presence (a diff goes out at once), timers, database. */
  dispose(): void {
    if (this.closed) return
    this.closed = true
    this.outbox = null
    const { tenant } = this
    tenant.pubsub.unsubscribe(this.key, this)
    if (this.session.channels.get(this.topic) === this) this.session.channels.delete(this.topic)
    const removed = tenant.presence.untrack(this.uid)
    if (removed) tenant.publishPresenceDiff(this.key, this.topic, removed.diff)
    if (this.expiryTimer) clearTimeout(this.expiryTimer)
    this.expiryTimer = null
    try {
      this.pgSubscription?.close()
    } catch (error) {
      tenant.log.error('closing a postgres_changes subscription failed', { topic: this.topic, error: String(error) })
    }
    this.pgSubscription = null
  }
}
