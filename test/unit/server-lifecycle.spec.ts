// @vitest-environment node
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { isRealtimeServerError, startRealtimeServer } from '../../server/index'
import { RawSocket, replyOf } from '../helpers/raw-socket'
import { createTestClient, startTestServer, waitFor } from '../helpers/server-fixture'

describe('startRealtimeServer lifecycle', () => {
  it('binds 127.0.0.1 on a free port, returns the demo keys and a usable url', async () => {
    const server = await startTestServer()
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.port).toBeGreaterThan(0)
      expect(server.anonKey.split('.')).toHaveLength(3)
      const health = await fetch(`${server.url}/healthz`)
      expect(health.status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it('stops twice without error and frees the port for a new server on the same port', async () => {
    const first = await startTestServer()
    const client = createTestClient(first)
    const statuses: string[] = []
    const channel = client.channel('restart-room').on('broadcast', { event: 'ping' }, () => undefined)
    channel.subscribe((status) => statuses.push(status))
    await waitFor(() => statuses.includes('SUBSCRIBED'))
    await Promise.all([first.stop(), first.stop()])
    await first.stop()
    await waitFor(() => statuses.includes('CHANNEL_ERROR'))
    const second = await startTestServer({ port: first.port })
    try {
      expect(second.url).toBe(first.url)
      // supabase-js reconnects by itself and rejoins the errored channel.
      await waitFor(() => statuses.lastIndexOf('SUBSCRIBED') > statuses.indexOf('CHANNEL_ERROR'), 20_000, 'a rejoin after the restart')
    } finally {
      await client.removeAllChannels()
      await second.stop()
    }
  })

  it('reports a busy port with PORT_IN_USE and a fix', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address ? address.port : 0
    try {
      const error: unknown = await startRealtimeServer({ port, logLevel: 'silent' }).catch((e: unknown) => e)
      expect(isRealtimeServerError(error) && error.code).toBe('PORT_IN_USE')
      expect(isRealtimeServerError(error) && error.fix).toMatch(/port/)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  it('reports an unreachable database with DATABASE_CONNECT_FAILED, a fix and no password', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address ? address.port : 0
    await new Promise((resolve) => blocker.close(resolve))
    const url = `postgres://postgres:hunter2@127.0.0.1:${port}/postgres`
    const error: unknown = await startRealtimeServer({ port: 0, logLevel: 'silent', database: { url } }).catch((e: unknown) => e)
    expect(isRealtimeServerError(error) && error.code).toBe('DATABASE_CONNECT_FAILED')
    expect(isRealtimeServerError(error) && error.fix).toMatch(/DATABASE_URL/)
    expect(JSON.stringify(isRealtimeServerError(error) && error.toJSON())).not.toContain('hunter2')
  })

  it('closes open sockets on stop', async () => {
    const server = await startTestServer()
    const socket = await RawSocket.connect(server.url, { apikey: server.anonKey })
    await socket.joinOk('realtime:room')
    await server.stop()
    const closed = await socket.waitForClose()
    expect(closed.code).toBe(1001)
  })
})

describe('HTTP surface', () => {
  it('answers CORS preflight and adds Access-Control-Allow-Origin to REST answers', async () => {
    const server = await startTestServer()
    try {
      const preflight = await fetch(`${server.url}/realtime/v1/api/broadcast`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey, content-type, x-client-info' },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
      expect(preflight.headers.get('access-control-allow-headers')).toContain('apikey')
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
      const post = await fetch(`${server.url}/api/broadcast`, {
        method: 'POST',
        headers: { apikey: server.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ topic: 'x', event: 'e', payload: {} }] }),
      })
      expect(post.status).toBe(202)
      expect(post.headers.get('access-control-allow-origin')).toBe('*')
      expect(await post.text()).toBe('')
    } finally {
      await server.stop()
    }
  })

  it('answers unknown paths with a JSON 404 and GET on broadcast with 405', async () => {
    const server = await startTestServer()
    try {
      const missing = await fetch(`${server.url}/nope`)
      expect(missing.status).toBe(404)
      expect(await missing.json()).toMatchObject({ error: 'Not found', message: expect.stringContaining('/realtime/v1/api/broadcast') })
      const get = await fetch(`${server.url}/realtime/v1/api/broadcast`)
      expect(get.status).toBe(405)
    } finally {
      await server.stop()
    }
  })

  it('refuses REST calls over the message rate with 429', async () => {
    const server = await startTestServer({ limits: { maxEventsPerSecond: 2, rateWindowMs: 1000 } })
    try {
      const post = (): Promise<Response> =>
        fetch(`${server.url}/realtime/v1/api/broadcast/room/events/e`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.anonKey}`, 'content-type': 'application/json' },
          body: '{"a":1}',
        })
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) statuses.push((await post()).status)
      expect(statuses).toContain(429)
      const refused = await post()
      expect(refused.status).toBe(429)
      expect(await refused.json()).toEqual({ message: 'You have exceeded your rate limit' })
    } finally {
      await server.stop()
    }
  })
})

describe('limits on the socket', () => {
  it('closes every receiving channel with "Too many messages per second" over the message rate', async () => {
    const server = await startTestServer({ limits: { maxEventsPerSecond: 5, rateWindowMs: 1000 } })
    const a = await RawSocket.connect(server.url, { apikey: server.anonKey })
    const b = await RawSocket.connect(server.url, { apikey: server.anonKey })
    try {
      const ref = await a.joinOk('realtime:busy')
      await b.joinOk('realtime:busy')
      for (let i = 0; i < 5; i++) a.push('realtime:busy', 'broadcast', { type: 'broadcast', event: 'e', payload: { i } }, ref)
      const system = await b.waitForMessage((m) => m.event === 'system')
      expect(system.payload).toMatchObject({ extension: 'system', status: 'error', message: 'Too many messages per second', channel: 'busy' })
      await b.waitForMessage((m) => m.event === 'phx_close')
      await a.waitForMessage((m) => m.event === 'phx_close')
      expect(replyOf(await a.heartbeat()).status).toBe('ok')
    } finally {
      await Promise.all([a.close(), b.close()])
      await server.stop()
    }
  })

  it('removes the presence of a socket that is terminated without a leave at once', async () => {
    const server = await startTestServer()
    const watcher = await RawSocket.connect(server.url, { apikey: server.anonKey })
    const leaver = await RawSocket.connect(server.url, { apikey: server.anonKey })
    try {
      await watcher.joinOk('realtime:ghosts', { config: { presence: { enabled: true } } })
      const ref = await leaver.joinOk('realtime:ghosts', { config: { presence: { enabled: true, key: 'gone' } } })
      await leaver.request('realtime:ghosts', 'presence', { type: 'presence', event: 'track', payload: { here: true } }, ref)
      await watcher.waitForMessage((m) => m.event === 'presence_diff' && JSON.stringify(m.payload).includes('"joins":{"gone"'))
      leaver.terminate()
      const leave = await watcher.waitForMessage((m) => m.event === 'presence_diff' && JSON.stringify(m.payload).includes('"leaves":{"gone"'))
      expect(leave.joinRef).toBeNull()
    } finally {
      await watcher.close()
      await server.stop()
    }
  })
})

describe('npm run realtime (server/cli.ts)', () => {
  it('prints one ready line with the url and anon key, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts'], {
      env: { ...process.env, REALTIME_PORT: '0', REALTIME_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const line = await waitFor(() => out.split('\n').find((l) => l.startsWith('Realtime ready at ')), 30_000, 'the ready line')
      const url = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
      expect(url).toBeTruthy()
      expect(line).toContain('anon key: eyJ')
      expect((await fetch(`${url!}/healthz`)).status).toBe(200)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 60_000)
})
