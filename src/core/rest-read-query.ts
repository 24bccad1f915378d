import type { RestReadQuery, RestReadResult } from './realtime-rest-client'

/** How a {@link restReadQuery} reaches PostgREST. */
export interface RestReadTarget {
  /** `<project>/rest/v1/` */
  baseUrl: string
  schema: string
  relation: string
  /** A fetch that adds the API key and the user's token. */
  fetch: typeof fetch
}

/** `a, b ,c` as PostgREST wants it: whitespace removed outside double quotes (as postgrest-js does). */
function compactColumns(columns: string): string {
  return columns.replace(/"[^"]*"?|\s+/g, (part) => (part[0] === '"' ? part : ''))
}

/** `value` when it is a string, else `fallback`. */
const text = <T>(value: unknown, fallback: T): string | T => (typeof value === 'string' ? value : fallback)

function errorOf(body: string, status: number, statusText: string): NonNullable<RestReadResult['error']> {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; code?: unknown; hint?: unknown; details?: unknown }
    if (parsed && typeof parsed.message === 'string') {
      return { message: parsed.message, code: text(parsed.code, String(status)), hint: text(parsed.hint, null), details: text(parsed.details, null) }
    }
  } catch {
    // not JSON: the body is the message
  }
  return { message: body || statusText || `HTTP ${status}`, code: String(status), hint: null, details: null }
}

/**
 * A PostgREST read (`GET /rest/v1/<relation>?select=…`) with the few builder methods the plugin
 * uses, resolving to `{ data, error }` and never rejecting, as postgrest-js does.
 */
export function restReadQuery(target: RestReadTarget, columns: string): RestReadQuery {
  const url = new URL(encodeURIComponent(target.relation), target.baseUrl)
  url.searchParams.set('select', compactColumns(columns))
  let signal: AbortSignal | undefined

  async function run(): Promise<RestReadResult> {
    try {
      const response = await target.fetch(url.href, {
        method: 'GET',
        headers: { Accept: 'application/json', 'Accept-Profile': target.schema },
        ...(signal ? { signal } : {}),
      })
      const body = await response.text()
      if (!response.ok) return { data: null, error: errorOf(body, response.status, response.statusText) }
      return { data: body ? (JSON.parse(body) as unknown[]) : [], error: null }
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) }
      // NOTE: postgrest-js reports a failed or aborted fetch the same way: `<name>: <message>`.
      return { data: null, error: { message: `${name}: ${message}`, code: '', hint: '', details: '' } }
    }
  }

  const query: RestReadQuery = {
    filter(column, operator, value) {
      url.searchParams.append(column, `${operator}.${String(value)}`)
      return query
    },
    order(column, { ascending }) {
      url.searchParams.append('order', `${column}.${ascending ? 'asc' : 'desc'}`)
      return query
    },
    limit(count) {
      url.searchParams.set('limit', String(count))
      return query
    },
    abortSignal(next) {
      signal = next
      return query
    },
    then(onFulfilled, onRejected) {
      return run().then(onFulfilled, onRejected)
    },
  }
  return query
}
