/**
 * The contract WeWeb workflows rely on: when a trigger fires, the variables already hold its
 * event (the runtime writes pending variables before it emits a trigger).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { createRealtimePlugin } from '../../src/index'
import { createMemoryHost } from '../../src/host/memory-host'
import { nodeTransport, startTestServer, waitFor } from '../helpers/server-fixture'

let server: RealtimeServer

beforeAll(async () => {
  server = await startTestServer()
})

afterAll(async () => {
  await server.stop()
})

function connect(host = createMemoryHost({ recordVariables: true })) {
  return { host, plugin: createRealtimePlugin({ url: server.url, key: server.anonKey, host, realtime: { transport: nodeTransport } }) }
}

describe('variables before triggers', () => {
  it('broadcast and presence workflows read variables that already hold their event', async () => {
    const agent = connect()
    const customer = connect()
    const seen: string[] = []
    try {
      agent.host.on('broadcast', { channel: 'chat' }, (event) => {
        const ids = (agent.host.variables.messages?.['chat'] ?? []).map((m) => m.id)
        seen.push(`broadcast ${ids.includes(event.id) ? 'in' : 'missing from'} messages`)
      })
      agent.host.on('presence', { channel: 'chat', event: 'join' }, (event) => {
        const keys = (agent.host.variables.presence?.['chat']?.members ?? []).map((m) => m.key)
        seen.push(`join of ${event.key} ${event.key && keys.includes(event.key) ? 'in' : 'missing from'} presence`)
      })
      await agent.plugin.execute('subscribe', { channel: 'chat', presence: { key: 'agent' } })
      await customer.plugin.execute('subscribe', { channel: 'chat', presence: { key: 'customer' } })
      await customer.plugin.execute('presence', { channel: 'chat', action: 'track', state: { name: 'Bob' } })
      await customer.plugin.execute('broadcast', { channel: 'chat', event: 'message', payload: { text: 'hello' } })
      await waitFor(() => seen.some((s) => s.startsWith('broadcast')), 10_000, 'the broadcast workflow ran')
      expect(seen).toContain('join of customer in presence')
      expect(seen).toContain('broadcast in messages')
      expect(seen.filter((s) => s.includes('missing'))).toEqual([])
    } finally {
      await agent.plugin.dispose()
      await customer.plugin.dispose()
    }
  })
})
