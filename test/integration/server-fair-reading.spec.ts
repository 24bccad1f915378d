/**
 * A socket's frames beyond one turn's share wait for the next turn of the event loop (so that a
 * flood cannot hold timers and signals): none is lost or reordered, including frames sent just
 * before the client closes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { RawSocket } from '../helpers/raw-socket'
import { startTestServer, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'

let server: RealtimeServer | null = null
const sockets: RawSocket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  await server?.stop()
  server = null
})

async function connect(handle: RealtimeServer): Promise<RawSocket> {
  const socket = await RawSocket.connect(handle.url, { apikey: handle.anonKey })
  sockets.push(socket)
  return socket
}

function burstNumbers(socket: RawSocket): number[] {
  return socket
    .messages()
    .filter((message) => message.event === 'broadcast')
    .map((message) => (message.payload as { payload: { n: number } }).payload.n)
}

describe('fair reading of a busy socket', () => {
  it('handles every frame of a burst far beyond one turn, in the order sent', async () => {
    server = await startTestServer({ limits: UNTHROTTLED_LIMITS })
    const sender = await connect(server)
    const receiver = await connect(server)
    const joinRef = await sender.joinOk('realtime:burst')
    await receiver.joinOk('realtime:burst')
    const count = 2000
    for (let n = 0; n < count; n++) sender.push('realtime:burst', 'broadcast', { type: 'broadcast', event: 'n', payload: { n } }, joinRef, null)
    await waitFor(() => burstNumbers(receiver).length === count, 30_000, `${count} broadcasts`)
    expect(burstNumbers(receiver)).toEqual(Array.from({ length: count }, (_, n) => n))
    expect((await sender.heartbeat()).event).toBe('phx_reply')
  })

  it('handles the frames a client sent just before it closed', async () => {
    server = await startTestServer({ limits: UNTHROTTLED_LIMITS })
    const sender = await connect(server)
    const receiver = await connect(server)
    const joinRef = await sender.joinOk('realtime:last-words')
    await receiver.joinOk('realtime:last-words')
    const count = 500
    for (let n = 0; n < count; n++) sender.push('realtime:last-words', 'broadcast', { type: 'broadcast', event: 'n', payload: { n } }, joinRef, null)
    await sender.close()
    await waitFor(() => burstNumbers(receiver).length === count, 30_000, `${count} broadcasts`)
    expect(burstNumbers(receiver)).toEqual(Array.from({ length: count }, (_, n) => n))
  })
})
