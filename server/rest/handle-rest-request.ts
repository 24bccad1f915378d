import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CallerQuery, DatabaseHooks, JwtClaims } from '../database-hooks'
import { verifyToken } from '../jwt'
import { parseRestRequest, type RestRequest } from './parse-rest-request'
import { fromPostgresError, RestError, unsupported } from './rest-error'
import { checkColumns, checkWriteColumns, deleteRows, insertRows, loadTableColumns, selectRows, updateRows, type RowsResult } from './rest-statements'

/** Paths of the REST API (`/rest/v1/…`). */
export const REST_PATH = /^\/rest\/v1(?:\/|$)/
const TABLE_PATH = /^\/rest\/v1\/([^/]+)\/?$/
const MAX_BODY = 5_000_000

/** An answer: status, headers and a body (JSON text, or none). */
interface RestAnswer {
  status: number
  headers?: Record<string, string>
  body?: string
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > MAX_BODY) reject(new RestError(413, 'PGRST413', 'The request body is larger than 5 MB.', null, 'Write fewer rows per request.'))
      else resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
}

/** The caller's claims: `Authorization: Bearer` first, else the `apikey` header or parameter (as the gateway does). */
function authenticate(req: IncomingMessage, url: URL, jwtSecret: string): JwtClaims {
  const auth = req.headers.authorization
  const bearer = typeof auth === 'string' && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : ''
  const apikey = typeof req.headers.apikey === 'string' ? req.headers.apikey : (url.searchParams.get('apikey') ?? '')
  const token = bearer || apikey
  if (!token) {
    throw new RestError(401, 'PGRST302', 'No API key found in request', null, 'Send the anon key in the `apikey` header (supabase-js does this), or a user token in `Authorization: Bearer …`.')
  }
  const verified = verifyToken(token, jwtSecret)
  if (verified.ok) return verified.claims
  if (verified.expired) throw new RestError(401, 'PGRST303', 'JWT expired', verified.message, 'Refresh the session (supabase.auth.refreshSession()) or sign in again.')
  throw new RestError(401, 'PGRST301', verified.message, verified.code, 'Use a key or token signed with this server\'s JWT secret (the anon key it printed, or a user token).')
}

function contentRange(offset: number, count: number, total: number | null): string {
  const range = count === 0 ? '*' : `${offset}-${offset + count - 1}`
  return `${range}/${total ?? '*'}`
}

/** The rows as the client asked: an array, or one object for `.single()` (else PGRST116). */
function shape(request: RestRequest, rows: RowsResult): string {
  if (!request.single) return rows.json
  if (rows.count !== 1) {
    throw new RestError(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${rows.count} rows`, null)
  }
  return rows.json.trim().slice(1, -1)
}

function parseBody(text: string, method: string): unknown {
  try {
    return text.trim() === '' ? (method === 'POST' ? [] : {}) : (JSON.parse(text) as unknown)
  } catch {
    throw new RestError(400, 'PGRST102', 'Empty or invalid json', null, 'Send a JSON object (or, for insert, an array of objects).')
  }
}

async function answer(query: CallerQuery, method: string, request: RestRequest, bodyText: string): Promise<RestAnswer> {
  const columns = await loadTableColumns(query, request.schema, request.table)
  checkColumns(request, columns)
  const json = { 'content-type': 'application/json; charset=utf-8' }
  if (method === 'GET' || method === 'HEAD') {
    const rows = await selectRows(query, request)
    const body = shape(request, rows)
    return { status: 200, headers: { ...json, 'content-range': contentRange(request.offset, rows.count, rows.total) }, ...(method === 'GET' ? { body } : {}) }
  }
  if ((method === 'PATCH' || method === 'DELETE') && request.filters.length === 0) {
    // NOTE: Supabase projects load pg-safeupdate for API requests: an unfiltered update or delete fails.
    const verb = method === 'PATCH' ? 'UPDATE' : 'DELETE'
    throw new RestError(400, '21000', `${verb} requires a WHERE clause`, null, `Add a filter, e.g. .eq('id', 1), so that only the rows you mean are ${method === 'PATCH' ? 'updated' : 'deleted'}.`)
  }
  const returnRows = request.returnRows
  const value = parseBody(bodyText, method)
  let rows: RowsResult
  if (method === 'POST') {
    const objects = Array.isArray(value) ? value : [value]
    if (!objects.every(isMap)) throw new RestError(400, 'PGRST102', 'All object keys must match', null, 'Send a JSON object, or an array of objects.')
    checkWriteColumns(request, columns, [...new Set([...(request.columns ?? []), ...(request.onConflict ?? []), ...objects.flatMap((object) => Object.keys(object))])])
    rows = await insertRows(query, request, columns, objects, returnRows)
  } else if (method === 'PATCH') {
    if (!isMap(value)) throw new RestError(400, 'PGRST102', 'Empty or invalid json', null, 'Send one JSON object with the columns to set.')
    checkWriteColumns(request, columns, Object.keys(value))
    rows = await updateRows(query, request, value, returnRows)
  } else {
    rows = await deleteRows(query, request, returnRows)
  }
  const range = { 'content-range': `*/${request.count ? rows.count : '*'}` }
  const created = method === 'POST' ? 201 : null
  if (!returnRows) return { status: created ?? 204, headers: range }
  return { status: created ?? 200, headers: { ...json, ...range }, body: shape(request, rows) }
}

/**
 * Answers what supabase-js's `from()` sends for reads and simple writes on `/rest/v1/<table>`,
 * in PostgREST's shapes, each request in one transaction as the caller's role with its JWT claims
 * (so RLS applies; `service_role` bypasses it). Errors use PostgREST's JSON shape and codes.
 */
export async function handleRestRequest(
  database: DatabaseHooks | null,
  jwtSecret: string,
  req: IncomingMessage,
  res: ServerResponse,
  cors: Record<string, string>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const method = req.method ?? 'GET'
  let result: RestAnswer
  let role = 'anon'
  try {
    const claims = authenticate(req, url, jwtSecret)
    role = claims.role
    if (url.pathname.startsWith('/rest/v1/rpc/')) throw unsupported('Calling database functions (rpc())', url.pathname)
    const match = TABLE_PATH.exec(url.pathname)
    if (!match) throw unsupported('The API description at /rest/v1/', url.pathname)
    if (!['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'].includes(method)) throw unsupported(`The ${method} method`, 'Use GET, POST, PATCH or DELETE.')
    if (!database?.runAsCaller) {
      throw new RestError(503, 'PGRST001', 'No database is connected to the local server', null, 'Start the server with a database (the default), not with `database: false`.')
    }
    let table: string
    try {
      table = decodeURIComponent(match[1] ?? '')
    } catch {
      throw new RestError(400, 'PGRST100', `"failed to parse the table name (${match[1] ?? ''})"`, null, 'Percent-encode the table name correctly.')
    }
    const request = parseRestRequest(method, table, url.searchParams, req.headers)
    const bodyText = method === 'POST' || method === 'PATCH' ? await readBody(req) : ''
    result = await database.runAsCaller(claims, (query) => answer(query, method, request, bodyText))
  } catch (error) {
    const restError = error instanceof RestError ? error : fromPostgresError(error, role)
    result = { status: restError.status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(restError) }
  }
  if (!req.readableEnded) req.resume()
  const headers = { ...cors, 'access-control-expose-headers': 'Content-Range, Content-Location, Location', ...result.headers }
  if (result.body === undefined) {
    res.writeHead(result.status, headers).end()
    return
  }
  res.writeHead(result.status, { ...headers, 'content-length': String(Buffer.byteLength(result.body)) }).end(result.body)
}
