import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { resolveDatabase } from './db/resolve-database'
import { createDemoKeys, verifyToken } from './jwt'
import { resolveOptions, type RealtimeServerOptions } from './options'
import type { RealtimeMessageStats } from './message-stats'
import { handleHttpRequest } from './rest-api'
import { RealtimeTenant } from './realtime-tenant'
import type { Vsn } from './serializer'
import { RealtimeServerError } from './server-error'
import { SocketSession } from './socket-session'

/** A running local Realtime server. */
export interface RealtimeServer {
  /** Base URL to pass to supabase-js `createClient`, e.g. `http://127.0.0.1:54321`. */
  url: string
  host: string
  port: number
  /** The anon key signed with `jwtSecret` (the `supabase start` demo key by default). */
  anonKey: string
  serviceRoleKey: string
  jwtSecret: string
  /** `postgres://…` of the database the server uses, or null when started with `database: false`. */
  databaseUrl: string | null
  /** What the server received and delivered since it started (also `GET /_local/v1/stats` with the service key). */
  stats(): RealtimeMessageStats
  /** Close every socket and release the port (and stop the embedded PostgreSQL it started); safe to call more than once. */
  stop(): Promise<void>
}

const WEBSOCKET_PATH = /^\/(?:realtime\/v1|socket)\/websocket\/?$/
/** Largest WebSocket frame accepted, like the real server. */
const MAX_FRAME = 5_000_000

function writeRawResponse(socket: Duplex, status: number, body: unknown): void {
  if (socket.destroyed) return
  const text = JSON.stringify(body)
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n${text}`,
  )
}

function parseVsn(raw: string | null): Vsn | null {
  if (raw === null || raw === '' || /^1\.\d+\.\d+$/.test(raw)) return '1.0.0'
  if (/^2\.\d+\.\d+$/.test(raw)) return '2.0.0'
  return null
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') out[k] = v
  return out
}

/**
 * Start a local Supabase-Realtime-compatible server (WebSocket protocol vsn 1.0.0 and 2.0.0,
 * REST broadcast, presence, JWT auth, limits). Resolves once it listens.
 *
 * @example
 * const realtime = await startRealtimeServer({ port: 0 })
 * const supabase = createClient(realtime.url, realtime.anonKey, { realtime: { transport: WebSocket } })
 * // ...
 * await realtime.stop()
 */
export async function startRealtimeServer(options: RealtimeServerOptions = {}): Promise<RealtimeServer> {
  const resolved = resolveOptions(options)
  const database = await resolveDatabase(options.database, resolved.port, resolved.host, options.signal)
  resolved.database = database.hooks
  const stopOwnedDatabase = async (): Promise<void> => {
    if (database.owned) await database.hooks?.stop()
  }
  if (options.signal?.aborted) {
    await stopOwnedDatabase()
    throw options.signal.reason
  }
  const tenant = new RealtimeTenant(resolved)
  const { log } = tenant
  const keys = createDemoKeys(resolved.jwtSecret)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME, perMessageDeflate: false })
  const refusals = new Map<Duplex, NodeJS.Timeout>()

  const refuse = (socket: Duplex, status: number, error: string, delayMs: number): void => {
    log.info('connection refused', { status, error })
    const timer = setTimeout(() => {
      refusals.delete(socket)
      writeRawResponse(socket, status, { error })
    }, delayMs)
    refusals.set(socket, timer)
    socket.once('close', () => {
      clearTimeout(timer)
      refusals.delete(socket)
    })
  }

  const server = createServer((req, res) => {
    handleHttpRequest(tenant, req, res).catch((error: unknown) => {
      log.error('REST request failed', { error: String(error) })
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      res.end(JSON.stringify({ message: 'Internal server error' }))
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.warn('upgrade socket error', { error: String(error) }))
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (!WEBSOCKET_PATH.test(url.pathname)) {
      return writeRawResponse(socket, 404, { error: `No WebSocket endpoint at ${url.pathname}; use /realtime/v1/websocket or /socket/websocket.` })
    }
    if (tenant.shuttingDown) return writeRawResponse(socket, 503, { error: 'Realtime is restarting, please standby' })
    const vsn = parseVsn(url.searchParams.get('vsn'))
    if (!vsn) return writeRawResponse(socket, 400, { error: `Unsupported serializer version: ${url.searchParams.get('vsn') ?? ''}. Use vsn=1.0.0 or vsn=2.0.0.` })
    const header = req.headers['x-api-key']
    const token = (typeof header === 'string' && header) || url.searchParams.get('apikey') || ''
    const backoff = resolved.connectErrorBackoffMs
    if (!token) return refuse(socket, 401, 'API key is missing', backoff)
    const verified = verifyToken(token, resolved.jwtSecret)
    if (!verified.ok) return refuse(socket, 401, verified.expired ? 'Token has expired' : verified.message, backoff)
    const { limits } = resolved
    if (tenant.countedUsers >= limits.maxConcurrentUsers) return refuse(socket, 429, 'Too many connected users', backoff)
    if (tenant.joins.exceeds(limits.maxJoinsPerSecond)) return refuse(socket, 429, 'Too many joins per second', backoff)
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (tenant.shuttingDown) return ws.terminate()
      new SocketSession(tenant, ws, { vsn, token, claims: verified.claims, headers: headerRecord(req) })
    })
  })

  const removeDatabaseListener = resolved.database
    ? resolved.database.onBroadcast((message) => {
        const encoder = new TextEncoder()
        const payload = message.binary
          ? message.payload instanceof Uint8Array
            ? message.payload
            : new Uint8Array(0)
          : encoder.encode(JSON.stringify(message.payload ?? null))
        tenant.publish(
          { kind: 'user', topic: `realtime:${message.topic}`, event: message.event, json: !message.binary, payload, metadata: { id: message.id }, id: message.id },
          message.private,
          null,
          'database',
        )
      })
    : null

  let sweep: NodeJS.Timeout | null = null
  if (resolved.idleTimeoutMs > 0) {
    const every = Math.min(5000, Math.max(50, resolved.idleTimeoutMs / 4))
    sweep = setInterval(() => {
      const cutoff = Date.now() - resolved.idleTimeoutMs
      for (const session of [...tenant.sessions]) if (session.lastSeen < cutoff) session.close(1000, 'idle timeout')
    }, every)
    sweep.unref()
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const details = { port: resolved.port, host: resolved.host, message: `(${resolved.host}:${resolved.port})` }
      reject(new RealtimeServerError(error.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'LISTEN_FAILED', details, { cause: error }))
    }
    server.once('error', onError)
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', onError)
      resolve()
    })
  }).catch(async (error: unknown) => {
    if (sweep) clearInterval(sweep)
    removeDatabaseListener?.()
    wss.close()
    await stopOwnedDatabase()
    throw error
  })
  server.on('error', (error) => log.error('server error', { error: String(error) }))

  const port = (server.address() as AddressInfo).port
  const urlHost = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host
  let stopping: Promise<void> | null = null

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      tenant.shuttingDown = true
      if (sweep) clearInterval(sweep)
      removeDatabaseListener?.()
      tenant.cancelDelays()
      for (const [socket, timer] of refusals) {
        clearTimeout(timer)
        socket.destroy()
      }
      refusals.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const session of [...tenant.sessions]) session.close(1001, 'server stopping')
      const deadline = Date.now() + 500
      while ([...wss.clients].some((ws) => ws.readyState !== ws.CLOSED) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10))
      }
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await closed
      await stopOwnedDatabase()
    })())

  return { url: `http://${urlHost}:${port}`, host: resolved.host, port, anonKey: keys.anonKey, serviceRoleKey: keys.serviceRoleKey, jwtSecret: resolved.jwtSecret, databaseUrl: database.hooks?.url ?? null, stats: () => tenant.stats.snapshot(), stop }
}
