import type { IncomingMessage, ServerResponse } from 'node:http'
import { AUTH_PATH, handleAuthRequest } from './auth/handle-auth-request'
import { broadcastSize, userBroadcastFromJson, type OutboundBroadcast } from './broadcast-frames'
import type { JwtClaims } from './database-hooks'
import { verifyToken } from './jwt'
import type { RealtimeTenant } from './realtime-tenant'
import { handleRestRequest, REST_PATH } from './rest/handle-rest-request'
import { handleStatsRequest, STATS_PATH } from './stats-endpoint'

/** Headers a browser page on another origin may send to the REST API. */
const ALLOWED_HEADERS = 'apikey, authorization, content-type, x-client-info, x-api-key, accept, accept-profile, content-profile, prefer, range, range-unit, x-supabase-api-version'

const BATCH = /^\/(?:realtime\/v1\/)?api\/broadcast\/?$/
const SINGLE = /^\/(?:realtime\/v1\/)?api\/broadcast\/([^/]+)\/events\/([^/]+)\/?$/
const WEBSOCKET = /^\/(?:realtime\/v1|socket)\/websocket\/?$/
/** Largest REST body read, in bytes (the WebSocket frame limit of the real server). */
const MAX_BODY = 5_000_000

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const requested = req.headers['access-control-request-headers']
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': typeof requested === 'string' && requested ? requested : ALLOWED_HEADERS,
    'access-control-max-age': '86400',
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown): void {
  const headers: Record<string, string> = corsHeaders(req)
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'content-length': '0' }).end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) }).end(text)
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** The caller's claims from `Authorization: Bearer …`, else the `apikey` header or query parameter. */
function authenticate(tenant: RealtimeTenant, req: IncomingMessage, url: URL): { claims: JwtClaims; token: string } | null {
  const auth = req.headers.authorization
  const bearer = typeof auth === 'string' && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : ''
  const header = req.headers.apikey
  const token = bearer || (typeof header === 'string' ? header : '') || url.searchParams.get('apikey') || ''
  if (!token) return null
  const result = verifyToken(token, tenant.options.jwtSecret)
  return result.ok ? { claims: result.claims, token } : null
}

async function canWritePrivate(tenant: RealtimeTenant, name: string, claims: JwtClaims, token: string): Promise<boolean> {
  const db = tenant.database
  if (!db) return false
  try {
    return await db.authorizeWrite({ topic: name, claims, token, presenceEnabled: false }, 'broadcast')
  } catch (error) {
    tenant.log.error('write authorization failed', { topic: name, error: String(error) })
    return false
  }
}

/**
 * HTTP side of the server: REST broadcast endpoints (docs/realtime-protocol.md §3.4), the table REST
 * API under `/rest/v1/` (`rest/handle-rest-request.ts`), sign-in under `/auth/v1/` (`auth/handle-auth-request.ts`), CORS preflight, a health check and JSON
 * 404s. Every answer carries `Access-Control-Allow-Origin: *`.
 */
export async function handleHttpRequest(tenant: RealtimeTenant, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const path = url.pathname
  if (req.method === 'OPTIONS') {
    res.writeHead(204, corsHeaders(req)).end()
    return
  }
  if (STATS_PATH.test(path)) return handleStatsRequest(tenant, req, res, corsHeaders(req))
  if (req.method === 'GET' && (path === '/' || path === '/healthz' || path === '/api/ping' || path === '/realtime/v1/api/ping')) {
    return send(req, res, 200, { status: 'ok', message: 'Supabase Realtime compatible server' })
  }
  if (AUTH_PATH.test(path)) {
    const { jwtSecret, jwtExpiry, refreshTokenReuseInterval } = tenant.options
    return handleAuthRequest({ database: tenant.database, jwtSecret, jwtExpiry, refreshTokenReuseInterval, log: tenant.log }, req, res, corsHeaders(req))
  }
  if (REST_PATH.test(path)) return handleRestRequest(tenant.database, tenant.options.jwtSecret, req, res, corsHeaders(req))
  if (WEBSOCKET.test(path)) {
    return send(req, res, 426, { error: 'Upgrade Required', message: 'This path only accepts WebSocket connections; connect with supabase-js (createClient(url, key).channel(...)).' })
  }
  const single = SINGLE.exec(path)
  const batch = BATCH.test(path)
  if (!single && !batch) {
    return send(req, res, 404, {
      error: 'Not found',
      message: `Nothing is served at ${req.method ?? 'GET'} ${path}. Use ws://<host>/realtime/v1/websocket, POST /realtime/v1/api/broadcast or POST /realtime/v1/api/broadcast/<channel>/events/<event>.`,
    })
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST, OPTIONS')
    return send(req, res, 405, { error: 'Method Not Allowed', message: `Use POST for ${path}.` })
  }
  const caller = authenticate(tenant, req, url)
  if (!caller) {
    await readBody(req).catch(() => null)
    return send(req, res, 401, { message: 'Unauthorized' })
  }
  if (single) return handleSingle(tenant, req, res, url, caller, decodeURIComponent(single[1]!), decodeURIComponent(single[2]!))
  return handleBatch(tenant, req, res, caller)
}

async function handleSingle(
  tenant: RealtimeTenant,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  caller: { claims: JwtClaims; token: string },
  name: string,
  event: string,
): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== '' && type !== 'application/json' && type !== 'application/octet-stream') {
    await readBody(req).catch(() => null)
    return send(req, res, 415, { error: 'Unsupported Media Type. Use application/json or application/octet-stream' })
  }
  const body = await readBody(req)
  if (body === 'too_large') return send(req, res, 413, { error: 'Payload Too Large', message: 'The request body is larger than 5 MB.' })
  const isPrivate = url.searchParams.get('private') === 'true'
  const topic = `realtime:${name}`
  let broadcast: OutboundBroadcast
  if (type === 'application/octet-stream') {
    broadcast = { kind: 'user', topic, event, json: false, payload: new Uint8Array(body), metadata: null }
  } else {
    let value: unknown
    try {
      value = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
    } catch {
      return send(req, res, 400, { error: 'The request body is not valid JSON. Send a JSON value, or use Content-Type: application/octet-stream for bytes.' })
    }
    broadcast = userBroadcastFromJson(topic, event, value)
  }
  if (broadcastSize(broadcast) > tenant.options.limits.maxPayloadSizeKb * 1000) {
    return send(req, res, 422, { errors: { payload: ['Payload size exceeds tenant limit'] } })
  }
  if (tenant.eventsExceeded()) return send(req, res, 429, { message: 'You have exceeded your rate limit' })
  if (isPrivate && !(await canWritePrivate(tenant, name, caller.claims, caller.token))) return send(req, res, 403, { message: 'Unauthorized' })
  tenant.publish(broadcast, isPrivate, null)
  return send(req, res, 202)
}

async function handleBatch(tenant: RealtimeTenant, req: IncomingMessage, res: ServerResponse, caller: { claims: JwtClaims; token: string }): Promise<void> {
  const body = await readBody(req)
  if (body === 'too_large') return send(req, res, 413, { error: 'Payload Too Large', message: 'The request body is larger than 5 MB.' })
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    return send(req, res, 422, { errors: { messages: ['The body must be JSON like {"messages":[{"topic":"room-1","event":"ping","payload":{}}]}'] } })
  }
  const messages = isMap(parsed) ? parsed.messages : undefined
  if (!Array.isArray(messages)) return send(req, res, 422, { errors: { messages: ["can't be blank"] } })
  const maxBytes = tenant.options.limits.maxPayloadSizeKb * 1000
  const errors = messages.map((m): Record<string, string[]> => {
    const e: Record<string, string[]> = {}
    if (!isMap(m)) return { message: ['is invalid'] }
    if (typeof m.topic !== 'string' || m.topic === '') e.topic = ["can't be blank"]
    if (typeof m.event !== 'string' || m.event === '') e.event = ["can't be blank"]
    if (!isMap(m.payload)) e.payload = m.payload === undefined ? ["can't be blank"] : ['is invalid']
    else if (Buffer.byteLength(JSON.stringify(m.payload)) > maxBytes) e.payload = ['Payload size exceeds tenant limit']
    if (m.private !== undefined && typeof m.private !== 'boolean') e.private = ['is invalid']
    if (m.id !== undefined && typeof m.id !== 'string') e.id = ['is invalid']
    return e
  })
  if (errors.some((e) => Object.keys(e).length > 0)) return send(req, res, 422, { errors: { messages: errors } })
  if (tenant.eventsExceeded()) return send(req, res, 429, { message: 'You have exceeded your rate limit' })
  if (tenant.eventsExceeded(messages.length)) return send(req, res, 429, { message: 'Too many messages to broadcast, please reduce the batch size' })
  const writeChecks = new Map<string, Promise<boolean>>()
  for (const m of messages as Array<Record<string, unknown>>) {
    const name = m.topic as string
    const isPrivate = m.private === true
    if (isPrivate) {
      let check = writeChecks.get(name)
      if (!check) writeChecks.set(name, (check = canWritePrivate(tenant, name, caller.claims, caller.token)))
      // NOTE: private messages without write permission are skipped silently, still 202 (docs/realtime-protocol.md §3.4).
      if (!(await check)) continue
    }
    const frame: Record<string, unknown> = { type: 'broadcast', event: m.event, payload: m.payload }
    if (typeof m.id === 'string') frame.meta = { id: m.id }
    tenant.publish(
      { kind: 'json', topic: `realtime:${name}`, event: m.event as string, frame, ...(typeof m.id === 'string' ? { id: m.id } : {}) },
      isPrivate,
      null,
    )
  }
  return send(req, res, 202)
}
