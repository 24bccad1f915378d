import type { CallerQuery } from '../database-hooks'
import type { RealtimeLogger } from '../logger'

/** What every `/auth/v1` endpoint is given: the database, the token settings and the request. */
export interface AuthContext {
  /** Runs statements in one transaction on the `auth` tables. */
  run<T>(work: (query: CallerQuery) => Promise<T>): Promise<T>
  /** HS256 secret that signs access tokens. */
  secret: string
  /** Access token lifetime, in seconds. */
  expiry: number
  /** Refresh token reuse interval, in seconds. */
  reuseInterval: number
  /** `iss` of the access tokens: the `/auth/v1` URL as the client called it. */
  issuer: string
  request: AuthRequest
  log: RealtimeLogger
}

/** One request to `/auth/v1`, read once. */
export interface AuthRequest {
  method: string
  /** Path below `/auth/v1`, e.g. `/token` or `/admin/users/<id>`. */
  path: string
  query: URLSearchParams
  /** Bearer token of `Authorization`, or null. */
  bearer: string | null
  userAgent: string | null
  /** The JSON body (throws `bad_json` or `request_entity_too_large` as Supabase Auth does). */
  json(): Promise<Record<string, unknown>>
  /** True when the request carried a body. */
  hasBody(): Promise<boolean>
}

/** What an endpoint answers: a status and a JSON body (none for 204), plus headers. */
export interface AuthAnswer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}
