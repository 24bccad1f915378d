/**
 * `npm run bench:faults`: network faults between one plugin instance and the local server, at the
 * plugin's default settings (5 s connection check). A TCP fault proxy sits in front of the server;
 * another instance (or the database) keeps sending while the link is broken. Prints, per scenario:
 * sent, received, lost, duplicated, detection time, recovery time after the network returns and
 * presence convergence time, with the targets.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { RealtimeServer } from '../server/index'
import { signJwt } from '../server/jwt'
import { createMemoryHost, type MemoryHost } from '../src/host/memory-host'
import { createRealtimePlugin, type RealtimePlugin, type RealtimePluginOptions } from '../src/index'
import { startFaultProxy, type FaultProxy } from '../test/helpers/fault-proxy'
import { nodeTransport } from '../test/helpers/server-fixture'
import { startBenchDatabase } from './bench-database'
import { runBench } from './run-bench'

/** Gap between two messages of the steady sender, in milliseconds. */
const SEND_EVERY_MS = 25
/** Gap between two database messages on the private channel (replay returns at most 25). */
const DB_SEND_EVERY_MS = 600

interface Row {
  scenario: string
  sent: number
  received: number
  lost: number
  duplicated: number
  'detected (s)': string
  'recovered (s)': string
  'presence (s)': string
  targets: string
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const began = Date.now()
  while (!predicate()) {
    if (Date.now() - began > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(5)
  }
  return Date.now() - began
}

function plugin(url: string, anonKey: string, options: Partial<RealtimePluginOptions> = {}): RealtimePlugin {
  return createRealtimePlugin({ url, key: anonKey, maxMessages: 10_000, wakeEvents: null, realtime: { transport: nodeTransport }, ...options })
}

/** Unique and duplicated sequence numbers among the messages of a channel. */
function tally(p: RealtimePlugin, channel: string, sent: number): { received: number; lost: number; duplicated: number } {
  const seqs = (p.variables.messages[channel] ?? []).map((m) => (m.payload as { seq?: number }).seq).filter((n): n is number => typeof n === 'number')
  const unique = new Set(seqs)
  return { received: seqs.length, lost: sent - unique.size, duplicated: seqs.length - unique.size }
}

/** The members a plugin shows, by key and state (a dead socket's own presence may linger on the server as a second connection of the same key until the server's idle timeout). */
const presenceTruth = (p: RealtimePlugin, channel: string, expected: string) =>
  (p.variables.presence[channel]?.members ?? [])
    .map((m) => `${m.key}:${JSON.stringify(m.state)}`)
    .sort()
    .join('|') === expected

/** Counts the presence syncs a plugin received. */
function syncCounter(host: MemoryHost): () => number {
  let syncs = 0
  host.on('presence', { event: 'sync' }, () => syncs++)
  return () => syncs
}

const seconds = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(2))

/** A steady sender: one broadcast every `SEND_EVERY_MS` until stopped, without waiting for each other. */
function steadySender(p: RealtimePlugin, channel: string) {
  let seq = 0
  let failed = 0
  const pending: Promise<unknown>[] = []
  const timer = setInterval(() => {
    const n = ++seq
    pending.push(p.execute('broadcast', { channel, event: 'tick', payload: { seq: n } }).catch(() => failed++))
  }, SEND_EVERY_MS)
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(pending)
      return { sent: seq, failed }
    },
  }
}

/** A receiver through the proxy, a watcher connected directly, both tracking presence, and a steady sender. */
async function linkScenario(
  server: RealtimeServer,
  proxy: FaultProxy,
  name: string,
  fault: 'blackhole' | 'drop' | 'cut',
  outageMs: number,
  online: boolean,
): Promise<Row> {
  const wake = new EventTarget()
  const receiverHost = createMemoryHost({ record: 0 })
  const receiver = plugin(proxy.url, server.anonKey, { wakeEvents: wake, host: receiverHost })
  const watcher = plugin(server.url, server.anonKey)
  const channel = `bench-${name.replace(/\W+/g, '-')}`
  try {
    await receiver.execute('subscribe', { channel, presence: { key: 'receiver' } })
    await watcher.execute('subscribe', { channel, presence: { key: 'watcher' } })
    await receiver.execute('presence', { channel, action: 'track', state: { on: true } })
    await watcher.execute('presence', { channel, action: 'track', state: { on: true } })
    const receiverSyncs = syncCounter(receiverHost)
    const sender = steadySender(watcher, channel)
    await sleep(1000)

    const brokenAt = Date.now()
    if (fault === 'cut') proxy.cut()
    else proxy.blackhole({ drop: fault === 'drop' })
    let detectedMs: number | null = null
    void until(() => receiver.variables.connection.status !== 'connected' || receiver.variables.channels[channel]?.status !== 'SUBSCRIBED', 60_000, 'detection').then(
      () => (detectedMs = Date.now() - brokenAt),
    )
    await sleep(outageMs)
    if (fault !== 'cut') proxy.restore()
    if (online) wake.dispatchEvent(new Event('online'))
    const backAt = Date.now()
    const syncsBefore = receiverSyncs()
    const recoveredMs = await until(() => receiver.variables.channels[channel]?.status === 'SUBSCRIBED' && receiver.variables.connection.status === 'connected', 60_000, 'recovery')
    // NOTE: the receiver's view counts only once the server sent it presence after the rejoin.
    const expected = 'receiver:{"on":true}|watcher:{"on":true}'
    await until(() => receiverSyncs() > syncsBefore && presenceTruth(receiver, channel, expected) && presenceTruth(watcher, channel, expected), 60_000, 'presence')
    const presenceMs = Date.now() - backAt
    await sleep(1000)
    const { sent } = await sender.stop()
    await sleep(500)
    const t = tally(receiver, channel, sent)
    return {
      scenario: name,
      sent,
      ...t,
      'detected (s)': seconds(detectedMs),
      'recovered (s)': seconds(recoveredMs),
      'presence (s)': seconds(presenceMs),
      targets: `detect ≤ 12, recover ≤ ${online ? 2 : 12}, presence ≤ 2, dup 0`,
    }
  } finally {
    await Promise.all([receiver.dispose(), watcher.dispose()])
  }
}

/** The sender's link is held for 1.5 s while it keeps broadcasting: nothing may be lost or doubled. */
async function senderBlip(server: RealtimeServer, proxy: FaultProxy): Promise<Row> {
  const sender = plugin(proxy.url, server.anonKey)
  const receiver = plugin(server.url, server.anonKey)
  const channel = 'bench-sender-blip'
  try {
    await receiver.execute('subscribe', { channel })
    await sender.execute('subscribe', { channel })
    const steady = steadySender(sender, channel)
    await sleep(1000)
    const brokenAt = Date.now()
    proxy.blackhole()
    let detectedMs: number | null = null
    void until(() => sender.variables.channels[channel]?.status !== 'SUBSCRIBED', 30_000, 'detection').then(
      () => (detectedMs = Date.now() - brokenAt),
      () => undefined,
    )
    await sleep(1500)
    proxy.restore()
    const recoveredMs = await until(() => sender.variables.channels[channel]?.status === 'SUBSCRIBED', 30_000, 'recovery')
    await sleep(1000)
    const { sent, failed } = await steady.stop()
    await sleep(1000)
    const t = tally(receiver, channel, sent)
    return {
      scenario: `sender blip 1.5 s (${failed} failed)`,
      sent,
      ...t,
      'detected (s)': detectedMs === null ? 'not needed' : seconds(detectedMs),
      'recovered (s)': seconds(recoveredMs),
      'presence (s)': '-',
      targets: 'lost 0, dup 0',
    }
  } finally {
    await Promise.all([sender.dispose(), receiver.dispose()])
  }
}

/** A private channel fed by `realtime.send`: the receiver is cut off (half-open) and fills the gap by replay. */
async function privateReplay(server: RealtimeServer, proxy: FaultProxy, sql: pg.Client): Promise<Row> {
  const token = signJwt({ role: 'authenticated', sub: randomUUID(), aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
  const receiver = plugin(proxy.url, server.anonKey, { accessToken: () => Promise.resolve(token) })
  const channel = 'bench-private'
  let seq = 0
  let stopped = false
  const feeding = (async () => {
    while (!stopped) {
      await sql.query(`select realtime.send(jsonb_build_object('seq', $1::int), 'tick', $2, true)`, [++seq, channel])
      await sleep(DB_SEND_EVERY_MS)
    }
  })()
  try {
    await receiver.execute('subscribe', { channel, private: true })
    await sleep(2000)
    const brokenAt = Date.now()
    proxy.blackhole()
    const detectedMs = await until(() => receiver.variables.channels[channel]?.status !== 'SUBSCRIBED', 60_000, 'detection')
    await sleep(Math.max(0, 12_000 - (Date.now() - brokenAt)))
    proxy.restore()
    const recoveredMs = await until(() => receiver.variables.channels[channel]?.status === 'SUBSCRIBED', 60_000, 'recovery')
    await sleep(2000)
    stopped = true
    await feeding
    await sleep(1000)
    // NOTE: messages sent before the receiver first joined are not part of its stream.
    const seqs = (receiver.variables.messages[channel] ?? []).map((m) => (m.payload as { seq: number }).seq)
    const first = Math.min(...seqs)
    const expected = seq - first + 1
    const unique = new Set(seqs)
    return {
      scenario: 'private + replay, half-open 12 s',
      sent: expected,
      received: seqs.length,
      lost: expected - unique.size,
      duplicated: seqs.length - unique.size,
      'detected (s)': seconds(detectedMs),
      'recovered (s)': seconds(recoveredMs),
      'presence (s)': '-',
      targets: 'lost 0, dup 0',
    }
  } finally {
    stopped = true
    await feeding
    await receiver.dispose()
  }
}

async function main(): Promise<void> {
  const bench = await startBenchDatabase(`
    create policy "bench reads private" on realtime.messages for select to authenticated
      using (realtime.topic() = 'bench-private' and extension in ('broadcast', 'presence'));
  `)
  const { server, sql } = bench
  const rows: Row[] = []
  const run = async (make: (proxy: FaultProxy) => Promise<Row>) => {
    const proxy = await startFaultProxy(server.url)
    try {
      const row = await make(proxy)
      rows.push(row)
      console.error(`done: ${row.scenario}`)
    } finally {
      await proxy.close()
    }
  }
  try {
    await run((proxy) => linkScenario(server, proxy, 'half-open 15 s', 'blackhole', 15_000, false))
    await run((proxy) => linkScenario(server, proxy, 'half-open 15 s + online event', 'blackhole', 15_000, true))
    await run((proxy) => linkScenario(server, proxy, 'half-open 15 s, bytes lost', 'drop', 15_000, false))
    await run((proxy) => linkScenario(server, proxy, 'half-open 15 s, bytes lost + online', 'drop', 15_000, true))
    await run((proxy) => linkScenario(server, proxy, 'cut (RST)', 'cut', 0, false))
    await run((proxy) => senderBlip(server, proxy))
    await run((proxy) => privateReplay(server, proxy, sql))
  } finally {
    await bench.stop()
  }
  console.log(`\nFault bench at default settings (connection check every 5 s), sender every ${SEND_EVERY_MS} ms (database: every ${DB_SEND_EVERY_MS} ms).`)
  console.log('half-open: the proxy stops forwarding and keeps both sockets; bytes are held and delivered on restore (TCP retransmission), or lost ("bytes lost").')
  console.log('detected: link broken → connection/channel no longer claims to be up; recovered: network back → SUBSCRIBED; presence: network back → both sides equal to the truth.')
  console.log('A public channel has no replay: messages sent to a dead link are lost (counted in "lost"); a private channel fills the gap by replay.\n')
  console.table(rows)
}

runBench(main)
