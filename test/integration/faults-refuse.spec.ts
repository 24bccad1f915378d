/**
 * The server refuses connections (it is gone): the plugin says `reconnecting` with the reason,
 * keeps its channels and presence, and rejoins when connections are accepted again. Real sockets
 * through a TCP fault proxy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFaultStand, type FaultStand } from '../helpers/fault-stand'
import { waitFor } from '../helpers/server-fixture'

let stand: FaultStand

beforeEach(async () => {
  stand = await startFaultStand({ plugin: { heartbeatIntervalMs: 300 } })
})

afterEach(() => stand.stop())

describe('refused connections', () => {
  it('reports reconnecting with the last error and rejoins with presence once accepted again', async () => {
    const wake = new EventTarget()
    const a = stand.throughProxy({ wakeEvents: wake })
    const watcher = stand.direct()
    const channel = 'refused'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'ada' } })
    await watcher.plugin.execute('subscribe', { channel, presence: { key: 'watcher' } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { on: true } })

    stand.proxy.refuse()
    await waitFor(() => a.plugin.variables.connection.status === 'reconnecting', 2000, 'reconnecting')
    expect(a.plugin.variables.connection.lastError?.code).toBe('CONNECTION_LOST')
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'CHANNEL_ERROR', 2000, 'channel error')
    await waitFor(() => watcher.plugin.variables.presence[channel]?.members.every((m) => m.key !== 'ada'), 5000, 'ada gone for the watcher')
    // Several refused attempts make supabase-js wait longer and longer between them.
    await new Promise((r) => setTimeout(r, 3500))

    stand.proxy.restore()
    const back = Date.now()
    wake.dispatchEvent(new Event('online'))
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 2000, 'SUBSCRIBED within 2 s of the online event')
    expect(Date.now() - back).toBeLessThanOrEqual(2000)
    await waitFor(() => watcher.plugin.variables.presence[channel]?.members.find((m) => m.key === 'ada')?.state['on'] === true, 3000, 'ada back for the watcher')
    expect(a.plugin.variables.connection.status).toBe('connected')
    expect(a.plugin.variables.connection.reconnects).toBe(1)
  })
})
