import { bindingId } from './binding-id'
import { Channel, type ChannelSocket } from './channel'
import type { ChannelPermissions, DatabaseBroadcast, PostgresBinding } from './database-hooks'
import { verifyToken } from './jwt'
import { parseReplayRequest } from './replay-request'
import type { PhoenixMessage } from './serializer'

/** A join in progress: messages for its topic wait in `queue` until it settles. */
export interface PendingJoin {
  joinRef: string | null
  queue: Array<() => void>
  /** Set when a newer join of the same topic (or the socket closing) made this one moot. */
  superseded: boolean
  /** Set once the join passed the channels-per-client check and has not failed since. */
  holdsSlot?: boolean
}

/** The socket a join runs on, as the join uses it (`SocketSession` implements it). */
export interface JoiningSession extends ChannelSocket {
  readonly pending: Map<string, PendingJoin>
  /** The connect-time key, used when the join carries no access token. */
  readonly token: string
  readonly closed: boolean
  /** Counted once in the concurrent-users limit, on its first successful join. */
  counted: boolean
  reply(msg: PhoenixMessage, status: 'ok' | 'error', response: unknown): void
  close(code?: number, reason?: string): void
}

/** The parts of a `phx_join` payload the server uses (docs/realtime-protocol.md §2.2). */
export interface JoinConfig {
  hasConfig: boolean
  selfBroadcast: boolean
  ack: boolean
  presenceEnabled: boolean
  presenceKey: string
  isPrivate: boolean
  /** Bindings exactly as sent (non-objects dropped). */
  postgresChanges: Array<Record<string, unknown>>
  wait: boolean
  waitTimeoutMs: number
  replay: unknown
  replicationReady: boolean
  accessToken: string | null
  invalid: string[]
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Phoenix's "flexible boolean": booleans or any-case "true"/"false". */
function flexBool(value: unknown, fallback: boolean, field: string, invalid: string[]): boolean {
  if (value === undefined || value === null) return fallback
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  invalid.push(field)
  return fallback
}

/** Read a `phx_join` payload leniently: invalid fields keep their defaults. */
export function parseJoinPayload(payload: unknown): JoinConfig {
  const p = isMap(payload) ? payload : {}
  const invalid: string[] = []
  const config = isMap(p.config) ? p.config : {}
  const broadcast = isMap(config.broadcast) ? config.broadcast : {}
  const presence = isMap(config.presence) ? config.presence : {}
  const options = isMap(config.postgres_changes_options) ? config.postgres_changes_options : {}
  const rawKey = presence.key
  const token = typeof p.access_token === 'string' ? p.access_token : typeof p.user_token === 'string' ? p.user_token : null
  const timeout = typeof options.timeout === 'number' && Number.isFinite(options.timeout) ? options.timeout : 15_000
  return {
    hasConfig: isMap(p.config),
    selfBroadcast: flexBool(broadcast.self, false, 'config.broadcast.self', invalid),
    ack: flexBool(broadcast.ack, false, 'config.broadcast.ack', invalid),
    presenceEnabled: flexBool(presence.enabled, false, 'config.presence.enabled', invalid),
    presenceKey: typeof rawKey === 'string' ? rawKey : typeof rawKey === 'number' ? String(rawKey) : '',
    isPrivate: flexBool(config.private, false, 'config.private', invalid),
    postgresChanges: Array.isArray(config.postgres_changes) ? config.postgres_changes.filter(isMap) : [],
    wait: flexBool(options.wait, false, 'config.postgres_changes_options.wait', invalid),
    // NOTE: the client documents a 20 s server-side clamp.
    waitTimeoutMs: Math.min(20_000, Math.max(0, timeout)),
    replay: broadcast.replay,
    replicationReady: flexBool(broadcast.replication_ready, false, 'config.broadcast.replication_ready', invalid),
    accessToken: token,
    invalid,
  }
}

/** The binding handed to the database layer: params as sent plus `id`, with `event`/`schema` filled in. */
function toBinding(params: Record<string, unknown>, id: number): PostgresBinding {
  const event = typeof params.event === 'string' ? params.event : '*'
  const schema = typeof params.schema === 'string' ? params.schema : typeof params.table === 'string' ? 'public' : ''
  return { ...params, id, event, schema }
}

type WaitOutcome = { ok: true } | { ok: false; reason: string }

/**
 * Run the join checks in the real server's order (docs/realtime-protocol.md §2.3), then reply. Error replies
 * wait `channelErrorBackoffMs` first. Resolves once the reply went out (or the join became moot).
 */
export async function joinChannel(session: JoiningSession, msg: PhoenixMessage, pending: PendingJoin): Promise<void> {
  const { tenant } = session
  const { options } = tenant
  const { limits } = options
  const topic = msg.topic
  const name = topic.slice('realtime:'.length)
  const moot = (): boolean => pending.superseded || session.closed
  const fail = async (reason: string, after?: () => void): Promise<void> => {
    pending.holdsSlot = false
    tenant.log.info('join refused', { topic, reason })
    await tenant.delay(options.channelErrorBackoffMs)
    if (moot()) return
    session.reply(msg, 'error', { reason })
    after?.()
  }

  if (name === '') return fail('TopicNameRequired: You must provide a topic name')
  const config = parseJoinPayload(msg.payload)
  if (config.invalid.length > 0) tenant.log.warn('InvalidJoinPayload: using defaults for invalid fields', { topic, fields: config.invalid })
  if (tenant.shuttingDown) return fail('RealtimeRestarting: Realtime is restarting, please standby')
  if (options.privateOnly && !config.isPrivate) return fail('PrivateOnly: This project only allows private channels')
  if (!session.counted) {
    if (tenant.countedUsers >= limits.maxConcurrentUsers) return fail('ConnectionRateLimitReached: Too many connected users')
    // NOTE: counted as soon as it passes, so simultaneous first joins cannot overshoot the limit.
    session.counted = true
    tenant.countedUsers++
  }
  tenant.joins.add(1)
  if (tenant.joins.exceeds(limits.maxJoinsPerSecond)) {
    return fail('ClientJoinRateLimitReached: Too many joins per second', () => session.close(1001, 'Too many joins per second'))
  }
  // NOTE: joins still in progress hold a slot too, so a burst of joins cannot overshoot the limit.
  let inProgress = 0
  for (const other of session.pending.values()) if (other !== pending && other.holdsSlot && !other.superseded) inProgress++
  if (session.channels.size + inProgress >= limits.maxChannelsPerClient) return fail('ChannelRateLimitReached: Too many channels')
  pending.holdsSlot = true

  const token = config.accessToken && !config.accessToken.startsWith('sb_') ? config.accessToken : session.token
  const verified = verifyToken(token, options.jwtSecret)
  if (!verified.ok) return fail(`${verified.code}: ${verified.message}`)
  const claims = verified.claims

  const db = tenant.database
  if ((config.isPrivate || config.postgresChanges.length > 0) && !db) {
    return fail('UnableToConnectToProject: Realtime was unable to connect to the project database')
  }

  let permissions: ChannelPermissions = { broadcastRead: true, presenceRead: true }
  if (config.isPrivate && db) {
    try {
      permissions = await db.authorizeRead({ topic: name, claims, token, presenceEnabled: config.presenceEnabled })
    } catch (error) {
      tenant.log.error('read authorization failed', { topic, error: String(error) })
      return fail('Realtime was unable to connect to the project database')
    }
    if (!permissions.broadcastRead && !permissions.presenceRead) {
      return fail(`Unauthorized: You do not have permissions to read from this Channel topic: ${name}`)
    }
  }
  if (moot()) return

  let replay: DatabaseBroadcast[] = []
  if (config.replay !== undefined) {
    // NOTE: as the real server: read permission first, then public channel, then the params.
    if (config.isPrivate && !permissions.broadcastRead) {
      return fail(`Unauthorized: You do not have permissions to read from this Channel topic: ${name}`)
    }
    const request = parseReplayRequest(config.replay, config.isPrivate)
    if (request.kind === 'invalid') return fail(request.reason)
    if (request.kind === 'replay' && db) {
      try {
        replay = await db.replay(name, request.since, request.limit)
      } catch (error) {
        tenant.log.error('replay failed', { topic, error: String(error) })
        return fail('UnableToReplayMessages: Realtime was unable to replay messages')
      }
      if (moot()) return
    }
  }

  const channel = new Channel(session, {
    topic,
    joinRef: msg.joinRef ?? msg.ref,
    isPrivate: config.isPrivate,
    selfBroadcast: config.selfBroadcast,
    ack: config.ack,
    presenceEnabled: config.presenceEnabled,
    presenceKey: config.presenceKey,
    token,
    claims,
    permissions,
  })

  const echoed = config.postgresChanges.map((params) => ({ ...params, id: bindingId(params) }))
  if (echoed.length > 0 && db) {
    let settleWait: (outcome: WaitOutcome) => void = () => {}
    const waited = new Promise<WaitOutcome>((resolve) => (settleWait = resolve))
    try {
      channel.pgSubscription = db.subscribePostgresChanges({
        topic: name,
        bindings: config.postgresChanges.map((params, i) => toBinding(params, echoed[i]!.id)),
        claims,
        deliver: (ids, data) => channel.pushFanout('postgres_changes', { ids, data }),
        onReady: () => {
          settleWait({ ok: true })
          channel.pushSystem('postgres_changes', 'ok', 'Subscribed to PostgreSQL')
        },
        onError: (message) => {
          settleWait({ ok: false, reason: `RealtimeDisabledForConfiguration: ${message}` })
          channel.pushSystem('postgres_changes', 'error', message)
        },
      })
    } catch (error) {
      channel.dispose()
      tenant.log.error('postgres_changes subscription failed', { topic, error: String(error) })
      return fail('UnableToConnectToProject: Realtime was unable to connect to the project database')
    }
    if (config.wait) {
      const ms = config.waitTimeoutMs
      const timeout = tenant
        .delay(ms)
        .then((): WaitOutcome => ({ ok: false, reason: `PostgresChangesSubscribeTimeout: Timed out after ${ms}ms waiting for the postgres_changes subscription` }))
      const outcome = await Promise.race([waited, timeout])
      if (!outcome.ok) {
        channel.dispose()
        return fail(outcome.reason)
      }
    }
  }
  if (moot()) {
    channel.dispose()
    return
  }

  session.channels.get(topic)?.closeReplaced()
  pending.holdsSlot = false
  session.channels.set(topic, channel)
  session.reply(msg, 'ok', config.hasConfig ? { postgres_changes: echoed } : {})
  channel.activate(replay)
  // NOTE: database broadcasts flow as soon as the server runs, so replication is ready at once (docs/realtime-protocol.md §2.5).
  if (config.replicationReady && db) channel.pushSystem('system', 'ok', 'Replication connection established')
}
