import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DatabaseHooks } from '../database-hooks'
import type { RealtimeLogger } from '../logger'
import { adminUsers } from './admin-users'
import type { AuthAnswer, AuthContext, AuthRequest } from './auth-context'
import { AuthError, AuthOAuthError } from './auth-error'
import { authError } from './auth-errors'
import { authHealth, authSettings } from './auth-settings'
import { logOut } from './log-out'
import { MAX_AUTH_BODY, parseAuthJson, readAuthBody } from './read-auth-body'
import { signUp } from './sign-up'
import { tokenGrant } from './token-grant'
import { unsupportedAuthFeature, unsupportedFeatureOf } from './unsupported-auth-feature'
import { getUser, putUser } from './user-endpoint'

/** Paths of the auth API (`/auth/v1/…`). */
export const AUTH_PATH = /^\/auth\/v1(?:\/|$)/

/** Settings of the auth API. */
export interface AuthSettings {
  database: DatabaseHooks | null
  jwtSecret: string
  /** Access token lifetime, in seconds. */
  jwtExpiry: number
  /** Refresh token reuse interval, in seconds. */
  refreshTokenReuseInterval: number
  log: RealtimeLogger
}

const API_VERSION = '2024-01-01'

/** The methods each endpoint answers, for the error of another one. */
const ALLOWED: Record<string, string> = {
  '/signup': 'POST',
  '/token': 'POST',
  '/user': 'GET or PUT',
  '/logout': 'POST',
  '/health': 'GET',
  '/settings': 'GET',
}

/** True when the client asked for the 2024-01-01 error shape (`X-Supabase-Api-Version`), as supabase-js does. */
function versioned(req: IncomingMessage): boolean {
  const raw = req.headers['x-supabase-api-version']
  return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw.trim()) && raw.trim() >= API_VERSION
}

function route(ctx: AuthContext): Promise<AuthAnswer> | AuthAnswer {
  const { method, path } = ctx.request
  const is = (m: string, p: string) => method === m && (path === p || path === `${p}/`)
  if (is('GET', '/health')) return authHealth()
  if (is('GET', '/settings')) return authSettings()
  if (is('POST', '/signup')) return signUp(ctx)
  if (is('POST', '/token')) return tokenGrant(ctx)
  if (is('GET', '/user')) return getUser(ctx)
  if (is('PUT', '/user')) return putUser(ctx)
  if (is('POST', '/logout')) return logOut(ctx)
  const feature = unsupportedFeatureOf(path)
  if (feature) throw unsupportedAuthFeature(feature)
  if (/^\/admin\/users(\/[^/]+)?\/?$/.test(path)) return adminUsers(ctx)
  if (path.startsWith('/admin/')) throw unsupportedAuthFeature(`The admin endpoint ${path}`)
  if (ALLOWED[path.replace(/\/$/, '')]) {
    throw authError('methodNotAllowed', { method, path, allowed: ALLOWED[path.replace(/\/$/, '')] ?? 'another method' })
  }
  throw authError('notFound', { method, path })
}

function createRequest(req: IncomingMessage, url: URL): AuthRequest {
  const auth = req.headers.authorization
  const bearer = typeof auth === 'string' && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : ''
  let body: Promise<Buffer> | null = null
  const read = (): Promise<Buffer> => (body ??= readAuthBody(req))
  return {
    method: req.method ?? 'GET',
    path: url.pathname.replace(/^\/auth\/v1/, '') || '/',
    query: url.searchParams,
    bearer: bearer || null,
    userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
    json: async () => parseAuthJson(await read()),
    hasBody: async () => (await read()).length > 0,
  }
}

/**
 * The local `/auth/v1`: the email and password part of Supabase Auth that supabase-js's auth client
 * uses (sign-up, password and refresh-token grants, user, sign-out, admin users, settings), with
 * its JSON shapes, status codes and `error_code`s. Users, sessions and refresh tokens live in the
 * `auth` schema of the server's database. Anything else answers `feature_disabled`, naming it.
 */
export async function handleAuthRequest(settings: AuthSettings, req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const request = createRequest(req, url)
  const database = settings.database
  const host = typeof req.headers.host === 'string' && req.headers.host ? req.headers.host : 'localhost'
  let answer: AuthAnswer
  try {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_AUTH_BODY) throw authError('bodyTooLarge', { limit: MAX_AUTH_BODY })
    if (!database?.runAsAdmin) throw authError('noDatabase')
    const runAsAdmin = database.runAsAdmin.bind(database)
    answer = await route({
      run: (work) => runAsAdmin(work),
      secret: settings.jwtSecret,
      expiry: settings.jwtExpiry,
      reuseInterval: settings.refreshTokenReuseInterval,
      issuer: `http://${host}/auth/v1`,
      request,
      log: settings.log,
    })
  } catch (error) {
    if (error instanceof AuthError) answer = { status: error.status, body: error.body(versioned(req)), headers: { 'x-sb-error-code': error.code } }
    else if (error instanceof AuthOAuthError) answer = { status: 400, body: error.body() }
    else {
      settings.log.error('auth request failed', { method: request.method, path: request.path, error: error instanceof Error ? error.message : String(error) })
      const failure = authError('unexpected')
      answer = { status: 500, body: failure.body(versioned(req)) }
    }
  }
  if (!req.readableEnded) req.resume()
  const headers: Record<string, string> = {
    ...cors,
    'access-control-expose-headers': 'X-Total-Count, Link, X-Supabase-Api-Version, X-Sb-Error-Code',
    ...(versioned(req) ? { 'x-supabase-api-version': API_VERSION } : {}),
    ...answer.headers,
  }
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end()
    return
  }
  const text = JSON.stringify(answer.body)
  res.writeHead(answer.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) }).end(text)
}
