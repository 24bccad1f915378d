// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRealtimeRestClient } from '../../../src/core/create-realtime-rest-client'
import { restReadQuery } from '../../../src/core/rest-read-query'
import { nodeTransport } from '../../helpers/server-fixture'

/** A fetch that records its calls and answers `status` with `body`. */
function fakeFetch(status: number, body: string) {
  const calls: Array<{ url: string; headers: Headers; signal: AbortSignal | undefined }> = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), signal: init?.signal ?? undefined })
    return new Response(body, { status, statusText: status === 200 ? 'OK' : 'Bad Request' })
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls }
}

const clients: Array<ReturnType<typeof createRealtimeRestClient>> = []

afterEach(async () => {
  vi.unstubAllGlobals()
  for (const client of clients.splice(0)) await client.realtime.disconnect()
})

describe('restReadQuery', () => {
  it('builds the PostgREST read postgrest-js builds: select without spaces, filters, order, limit, schema header', async () => {
    const { fetch, calls } = fakeFetch(200, '[{"id":1}]')
    const signal = new AbortController().signal
    const result = await restReadQuery({ baseUrl: 'https://p.test/rest/v1/', schema: 'private', relation: 'todos', fetch }, 'id, task ,"a b"')
      .filter('room_id', 'eq', 1)
      .filter('tag', 'in', '(a,b)')
      .order('created_at', { ascending: false })
      .limit(11)
      .abortSignal(signal)
    expect(result).toEqual({ data: [{ id: 1 }], error: null })
    const url = new URL(calls[0]?.url ?? '')
    expect(url.origin + url.pathname).toBe('https://p.test/rest/v1/todos')
    expect([...url.searchParams]).toEqual([['select', 'id,task,"a b"'], ['room_id', 'eq.1'], ['tag', 'in.(a,b)'], ['order', 'created_at.desc'], ['limit', '11']])
    expect(calls[0]?.headers.get('Accept-Profile')).toBe('private')
    expect(calls[0]?.signal).toBe(signal)
  })

  it("answers PostgREST's error as { data: null, error }, and a failed fetch as postgrest-js does (`<name>: <message>`)", async () => {
    const refused = fakeFetch(400, '{"code":"42703","message":"column todos.nope does not exist","hint":null,"details":null}')
    expect(await restReadQuery({ baseUrl: 'https://p.test/rest/v1/', schema: 'public', relation: 'todos', fetch: refused.fetch }, 'nope')).toEqual({
      data: null,
      error: { code: '42703', message: 'column todos.nope does not exist', hint: null, details: null },
    })
    const plain = fakeFetch(404, 'Not here')
    expect((await restReadQuery({ baseUrl: 'https://p.test/rest/v1/', schema: 'public', relation: 'x', fetch: plain.fetch }, '*')).error).toMatchObject({ message: 'Not here', code: '404' })
    const timeout = (() => Promise.reject(new DOMException('The operation timed out.', 'TimeoutError'))) as typeof globalThis.fetch
    expect((await restReadQuery({ baseUrl: 'https://p.test/rest/v1/', schema: 'public', relation: 'x', fetch: timeout }, '*')).error?.message).toBe('TimeoutError: The operation timed out.')
  })
})

describe('createRealtimeRestClient', () => {
  it('wires Realtime and REST as createClient does: ws URL with the apikey, the key as bearer until a user token exists', async () => {
    const { fetch, calls } = fakeFetch(200, '[]')
    vi.stubGlobal('fetch', fetch)
    let token: string | null = null
    const client = createRealtimeRestClient('https://p.test', 'anon-key', { accessToken: () => Promise.resolve(token), realtime: { transport: nodeTransport } })
    clients.push(client)
    expect(client.realtime.endPoint).toBe('wss://p.test/realtime/v1/websocket')
    expect(client.realtime.apiKey).toBe('anon-key')
    expect('auth' in client).toBe(false)

    await client.from('todos').select('*')
    token = 'user-jwt'
    await client.schema('private').from('notes').select('id')
    expect(calls.map((c) => [new URL(c.url).pathname, c.headers.get('apikey'), c.headers.get('Authorization'), c.headers.get('Accept-Profile')])).toEqual([
      ['/rest/v1/todos', 'anon-key', 'Bearer anon-key', 'public'],
      ['/rest/v1/notes', 'anon-key', 'Bearer user-jwt', 'private'],
    ])
    await client.realtime.setAuth()
    expect(client.realtime.accessTokenValue).toBe('user-jwt')
  })
})
