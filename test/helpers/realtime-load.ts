import pg from 'pg'
import { WebSocket } from 'ws'

/** Where {@link startRealtimeLoad} sends its traffic. */
export interface LoadTarget {
  url: string
  anonKey: string
  /** With a database, rows are inserted in a loop into `public.todos`, which every socket also listens to. */
  databaseUrl: string | null
}

/** Options of {@link startRealtimeLoad}. */
export interface LoadOptions {
  /** Sockets joined to one channel, each broadcasting to all (with `self`). @default 20 */
  sockets?: number
  /** Broadcasts each socket sends every 20 ms. @default 2 */
  burst?: number
  /** Database connections inserting rows in a loop. @default 4 */
  writers?: number
}

/** Traffic running against a server. */
export interface RunningLoad {
  /** Messages and rows sent so far. */
  sent(): number
  /** Frames received so far (broadcasts fanned out, changes). */
  received(): number
  /** Stops sending and closes every socket and connection; never throws. */
  stop(): Promise<void>
}

const TOPIC = 'realtime:load'

/**
 * Heavy traffic for stop tests: raw vsn 1.0.0 sockets on one channel broadcasting to each other
 * (every message fans out to every socket) and listening to `public.todos` changes, plus database
 * connections inserting rows as fast as they can. The server may go away at any moment: every
 * error is ignored.
 */
export async function startRealtimeLoad(target: LoadTarget, options: LoadOptions = {}): Promise<RunningLoad> {
  let sent = 0
  let received = 0
  let running = true
  const wsUrl = `${target.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(target.anonKey)}&vsn=1.0.0`
  const filler = 'x'.repeat(512)
  const sockets: WebSocket[] = []
  const timers: NodeJS.Timeout[] = []
  const joins: Array<Promise<void>> = []
  for (let i = 0; i < (options.sockets ?? 20); i++) {
    const socket = new WebSocket(wsUrl)
    sockets.push(socket)
    socket.on('error', () => undefined)
    socket.on('message', () => {
      received++
    })
    joins.push(
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve())
        socket.once('open', () => {
          const config = { broadcast: { self: true }, presence: { enabled: false }, postgres_changes: target.databaseUrl ? [{ event: '*', schema: 'public', table: 'todos' }] : [] }
          socket.send(JSON.stringify({ topic: TOPIC, event: 'phx_join', payload: { config, access_token: target.anonKey }, ref: '1', join_ref: '1' }))
          resolve()
        })
      }),
    )
    timers.push(
      setInterval(() => {
        if (socket.readyState !== WebSocket.OPEN) return
        for (let k = 0; k < (options.burst ?? 2); k++) {
          socket.send(JSON.stringify({ topic: TOPIC, event: 'broadcast', payload: { type: 'broadcast', event: 'load', payload: { i: sent, filler } }, ref: null, join_ref: '1' }))
          sent++
        }
      }, 20),
    )
  }
  await Promise.all(joins)
  const clients: pg.Client[] = []
  const writers: Array<Promise<void>> = []
  if (target.databaseUrl) {
    for (let i = 0; i < (options.writers ?? 4); i++) {
      const client = new pg.Client({ connectionString: target.databaseUrl })
      client.on('error', () => undefined)
      clients.push(client)
      writers.push(
        (async () => {
          try {
            await client.connect()
            while (running) {
              await client.query('insert into public.todos (task) values ($1)', [`load ${sent}`])
              sent++
            }
          } catch {
            // the server or the database went away
          }
        })(),
      )
    }
  }
  return {
    sent: () => sent,
    received: () => received,
    async stop() {
      running = false
      for (const timer of timers) clearInterval(timer)
      for (const socket of sockets) socket.terminate()
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)))
      await Promise.all(writers)
    },
  }
}
