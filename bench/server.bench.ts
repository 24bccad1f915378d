// `npm run bench:server`: one sender to 100 subscribers through the local Realtime server, with the
// real supabase-js client (ack true and false) next to a raw `ws` client speaking the protocol (the
// ceiling of the server itself), all measured in the same run. Prints a table. Flood modes measure
// throughput (their latencies are mostly queueing); the paced mode measures unloaded latency.
import { performance } from 'node:perf_hooks'
import { createClient, type RealtimeChannel, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js'
import { WebSocket } from 'ws'
import { startRealtimeServer, type RealtimeServer } from '../server/index'
import { encodeUserBroadcastPush } from '../server/serializer'
import { runBench } from './run-bench'

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100)
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000)
/** Sends in flight at once when waiting for acks. */
const WINDOW = 100
/** Messages of the paced (unloaded latency) scenario. */
const PACED_MESSAGES = Number(process.env.BENCH_PACED_MESSAGES ?? 300)
const SCENARIO_TIMEOUT_MS = 30_000

/** `flood-ack`: WINDOW sends in flight awaiting acks; `flood`: fire and forget; `paced`: one message at a time, next after full fan-out. */
type Mode = 'flood-ack' | 'flood' | 'paced'

type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>

interface Result {
  client: string
  mode: Mode
  sent: number
  delivered: number
  seconds: number
  sentPerSecond: number
  deliveredPerSecond: number
  p50Ms: number
  p99Ms: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r))

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** Collects latencies of every delivery and resolves when `expected` deliveries arrived. */
class Collector {
  readonly latencies: Float64Array
  count = 0
  lastAt = 0
  private done: (() => void) | null = null
  constructor(readonly expected: number) {
    this.latencies = new Float64Array(expected)
  }
  record(sentAt: number): void {
    const now = performance.now()
    if (this.count < this.expected) this.latencies[this.count] = now - sentAt
    this.count++
    this.lastAt = now
    if (this.count >= this.expected) this.done?.()
    this.check()
  }
  private target = Number.POSITIVE_INFINITY
  private reached: (() => void) | null = null
  wait(timeoutMs: number): Promise<void> {
    if (this.count >= this.expected) return Promise.resolve()
    return Promise.race([new Promise<void>((r) => (this.done = r)), sleep(timeoutMs)])
  }
  /** Resolves once `n` deliveries arrived (paced mode). */
  waitCount(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve()
    this.target = n
    return new Promise<void>((r) => (this.reached = r))
  }
  protected check(): void {
    if (this.count >= this.target && this.reached) {
      const r = this.reached
      this.reached = null
      this.target = Number.POSITIVE_INFINITY
      r()
    }
  }
}

function summarize(client: string, mode: Mode, sent: number, startedAt: number, collector: Collector): Result {
  const end = collector.lastAt || performance.now()
  const seconds = (end - startedAt) / 1000
  const sorted = collector.latencies.slice(0, Math.min(collector.count, collector.expected)).sort()
  return {
    client,
    mode,
    sent,
    delivered: collector.count,
    seconds: Number(seconds.toFixed(2)),
    sentPerSecond: Math.round(sent / seconds),
    deliveredPerSecond: Math.round(collector.count / seconds),
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
  }
}

async function supabaseScenario(server: RealtimeServer, mode: Mode): Promise<Result> {
  const ack = mode === 'flood-ack'
  const messages = mode === 'paced' ? PACED_MESSAGES : MESSAGES
  const topic = `bench-sb-${mode}`
  const clients: SupabaseClient[] = []
  const make = (): SupabaseClient => {
    const c = createClient(server.url, server.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as Transport },
    })
    clients.push(c)
    return c
  }
  const subscribe = (channel: RealtimeChannel): Promise<void> =>
    new Promise((resolve, reject) => {
      channel.subscribe((status, err) => {
        if (status === 'SUBSCRIBED') resolve()
        else if (status !== 'CLOSED') reject(err ?? new Error(status))
      })
    })
  const collector = new Collector(messages * SUBSCRIBERS)
  try {
    const subs: Array<Promise<void>> = []
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ch = make()
        .channel(topic)
        .on('broadcast', { event: 'tick' }, (msg) => collector.record((msg.payload as { t: number }).t))
      subs.push(subscribe(ch))
    }
    await Promise.all(subs)
    const sender = make().channel(topic, { config: { broadcast: { ack, self: false } } })
    await subscribe(sender)
    const startedAt = performance.now()
    if (mode === 'paced') {
      for (let i = 0; i < messages; i++) {
        void sender.send({ type: 'broadcast', event: 'tick', payload: { t: performance.now() } })
        await collector.waitCount((i + 1) * SUBSCRIBERS)
      }
    } else if (ack) {
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < MESSAGES) {
          next++
          const status = await sender.send({ type: 'broadcast', event: 'tick', payload: { t: performance.now() } })
          if (status !== 'ok') throw new Error(`send answered ${String(status)}`)
        }
      }
      await Promise.all(Array.from({ length: WINDOW }, worker))
    } else {
      for (let i = 0; i < MESSAGES; i++) {
        void sender.send({ type: 'broadcast', event: 'tick', payload: { t: performance.now() } })
        if (i % WINDOW === WINDOW - 1) await yieldToLoop()
      }
    }
    await collector.wait(SCENARIO_TIMEOUT_MS)
    return summarize('supabase-js', mode, messages, startedAt, collector)
  } finally {
    await Promise.all(clients.map((c) => c.removeAllChannels()))
    for (const c of clients) void c.realtime.disconnect()
  }
}

/** A bare `ws` socket speaking vsn 2.0.0: joins with a text frame, pushes kind 3, reads kind 4. */
async function rawSocket(server: RealtimeServer): Promise<WebSocket> {
  const url = `${server.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${server.anonKey}&vsn=2.0.0`
  const ws = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return ws
}

function rawJoin(ws: WebSocket, topic: string, ack: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      if (isBinary) return
      const [, ref, , event, payload] = JSON.parse(data.toString()) as [string, string, string, string, { status: string }]
      if (ref === '1' && event === 'phx_reply') {
        ws.off('message', onMessage)
        if (payload.status === 'ok') resolve()
        else reject(new Error(JSON.stringify(payload)))
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify(['1', '1', topic, 'phx_join', { config: { broadcast: { ack, self: false }, presence: { enabled: false }, postgres_changes: [], private: false } }]))
  })
}

/** `t` from a kind 4 frame whose payload is `{"t":…}`. */
function sentAtOf(frame: Buffer): number {
  const start = 5 + frame[1]! + frame[2]! + frame[3]!
  return (JSON.parse(frame.subarray(start).toString()) as { t: number }).t
}

async function rawScenario(server: RealtimeServer, mode: Mode): Promise<Result> {
  const ack = mode === 'flood-ack'
  const messages = mode === 'paced' ? PACED_MESSAGES : MESSAGES
  const topic = `realtime:bench-raw-${mode}`
  const sockets: WebSocket[] = []
  const collector = new Collector(messages * SUBSCRIBERS)
  try {
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ws = await rawSocket(server)
      sockets.push(ws)
      await rawJoin(ws, topic, false)
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary && data[0] === 4) collector.record(sentAtOf(data))
      })
    }
    const sender = await rawSocket(server)
    sockets.push(sender)
    await rawJoin(sender, topic, ack)
    const encoder = new TextEncoder()
    let ref = 2
    const push = (): void => {
      const payload = encoder.encode(JSON.stringify({ t: performance.now() }))
      sender.send(encodeUserBroadcastPush({ joinRef: '1', ref: String(ref++), topic, event: 'tick', metadata: null, json: true, payload }))
    }
    const startedAt = performance.now()
    if (mode === 'paced') {
      for (let i = 0; i < messages; i++) {
        push()
        await collector.waitCount((i + 1) * SUBSCRIBERS)
      }
    } else if (ack) {
      let sent = 0
      let acked = 0
      await new Promise<void>((resolve) => {
        sender.on('message', (data: Buffer, isBinary: boolean) => {
          if (isBinary) return
          if (!data.includes('phx_reply')) return
          acked++
          if (sent < MESSAGES) {
            sent++
            push()
          }
          if (acked >= MESSAGES) resolve()
        })
        for (; sent < Math.min(WINDOW, MESSAGES); sent++) push()
      })
    } else {
      for (let i = 0; i < MESSAGES; i++) {
        push()
        if (i % WINDOW === WINDOW - 1) await yieldToLoop()
      }
    }
    await collector.wait(SCENARIO_TIMEOUT_MS)
    return summarize('raw ws', mode, messages, startedAt, collector)
  } finally {
    for (const ws of sockets) ws.terminate()
  }
}

async function main(): Promise<void> {
  const server = await startRealtimeServer({
    port: 0,
    logLevel: 'error',
    limits: { maxEventsPerSecond: 1e12, maxJoinsPerSecond: 1e9, maxConcurrentUsers: 1e6, maxChannelsPerClient: 1e6 },
  })
  console.log(`bench:server: 1 sender → ${SUBSCRIBERS} subscribers, ${MESSAGES} messages per scenario, Node ${process.version}`)
  const results: Result[] = []
  try {
    for (const mode of ['flood-ack', 'flood', 'paced'] as const) {
      results.push(await rawScenario(server, mode))
      await sleep(200)
      results.push(await supabaseScenario(server, mode))
      await sleep(200)
    }
  } finally {
    await server.stop()
  }
  const ceiling = (mode: Mode): number => results.find((r) => r.client === 'raw ws' && r.mode === mode)?.deliveredPerSecond ?? Number.NaN
  console.table(
    results.map((r) => ({
      client: r.client,
      mode: r.mode,
      sent: r.sent,
      delivered: r.delivered,
      'seconds': r.seconds,
      'sent msg/s': r.sentPerSecond,
      'delivered msg/s': r.deliveredPerSecond,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'vs raw ws': `${(r.deliveredPerSecond / ceiling(r.mode)).toFixed(2)}×`,
    })),
  )
  const incomplete = results.filter((r) => r.delivered < r.sent * SUBSCRIBERS)
  if (incomplete.length > 0) {
    console.error(`incomplete deliveries: ${incomplete.map((r) => `${r.client} ${r.mode} ${r.delivered}/${r.sent * SUBSCRIBERS}`).join(', ')}`)
    process.exitCode = 1
  }
}

runBench(main)
