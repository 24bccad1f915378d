/** Where unsupported requests are sent: everything PostgREST does works on a Supabase project. */
const REAL_PROJECT_HINT =
  'The local server answers a small part of the REST API (see server/README.md). Use a Supabase project (or `supabase start`) for the rest.'

/** An error answered in PostgREST's JSON shape: `{ code, message, details, hint }` with its HTTP status. */
export class RestError extends Error {
  override readonly name = 'RestError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message)
  }

  toJSON(): { code: string; details: string | null; hint: string | null; message: string } {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message }
  }
}

/** A PostgREST feature this server does not implement (PostgREST's "not implemented" code, PGRST127). */
export function unsupported(feature: string, details: string | null = null): RestError {
  return new RestError(400, 'PGRST127', `${feature} is not supported by the local server.`, details, REAL_PROJECT_HINT)
}

/** A query parameter PostgREST could not parse (PGRST100). */
export function parseError(message: string, details: string | null = null, hint: string | null = null): RestError {
  return new RestError(400, 'PGRST100', message, details, hint)
}

const STATUS_BY_CODE: Record<string, number> = {
  '23503': 409,
  '23505': 409,
  '25006': 405,
  '42883': 404,
  '42P01': 404,
  '42P17': 500,
  P0001: 400,
}

/**
 * A PostgreSQL error as PostgREST answers it: its code, message, detail and hint, with PostgREST's
 * status (42501 is 401 for the anonymous role and 403 otherwise).
 */
export function fromPostgresError(error: unknown, role: string): RestError {
  const pgError = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown }
  const code = typeof pgError.code === 'string' ? pgError.code : ''
  const message = typeof pgError.message === 'string' ? pgError.message : String(error)
  const details = typeof pgError.detail === 'string' ? pgError.detail : null
  const hint = typeof pgError.hint === 'string' ? pgError.hint : null
  let status = STATUS_BY_CODE[code]
  if (status === undefined) {
    if (code === '42501') status = role === 'anon' ? 401 : 403
    else if (/^(08|53|54|57|58|XX)/.test(code) || code === '') status = 500
    else status = 400
  }
  return new RestError(status, code || 'PGRST000', message, details, hint)
}
