import type { IncomingMessage, ServerResponse } from 'node:http'
import { verifyToken } from './jwt'
import type { RealtimeTenant } from './realtime-tenant'

/**
 * Path of the message counters. Supabase serves nothing under `/_local/`, so the path cannot clash
 * with a Supabase API a client might call.
 */
export const STATS_PATH = /^\/_local\/v1\/stats\/?$/

/** Roles that may read the counters: the service role key (and Supabase's own admin role). */
const ADMIN_ROLES = ['service_role', 'supabase_admin']

function answer(res: ServerResponse, headers: Record<string, string>, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store' })
  res.end(head ? undefined : text)
}

/** The token of `Authorization: Bearer …`, else of the `apikey` header. */
function tokenOf(req: IncomingMessage): string {
  const auth = req.headers.authorization
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim()
  const header = req.headers.apikey
  return typeof header === 'string' ? header : ''
}

/**
 * `GET /_local/v1/stats`: the tenant's message counters ({@link RealtimeTenant.stats}) as JSON.
 * Read-only, and only for the service role key (`Authorization: Bearer <service key>` or
 * `apikey: <service key>`): the anon key a page holds gets 403.
 */
export function handleStatsRequest(tenant: RealtimeTenant, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  const head = req.method === 'HEAD'
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD, OPTIONS')
    return answer(res, headers, 405, { error: 'Method Not Allowed', message: 'The message counters are read-only: use GET.' }, false)
  }
  const token = tokenOf(req)
  if (!token) return answer(res, headers, 401, { message: 'Unauthorized', hint: 'Send the service role key as Authorization: Bearer <key>.' }, head)
  const verified = verifyToken(token, tenant.options.jwtSecret)
  if (!verified.ok) return answer(res, headers, 401, { message: 'Unauthorized', hint: verified.message }, head)
  if (!ADMIN_ROLES.includes(verified.claims.role)) {
    return answer(res, headers, 403, { message: 'Forbidden', hint: `The message counters need the service role key; this token has role ${verified.claims.role}.` }, head)
  }
  return answer(res, headers, 200, tenant.stats.snapshot(), head)
}
