// `npm run bench:cursors`: multiplayer cursors through the plugin on the local server, at 2, 5, 10
// and 25 members moving their pointer at 60 Hz, beside the naive way at the same sizes, in one run.
// - plugin: every member is a plugin instance with its own supabase-js client, sharing its pointer
//   with `shareCursor`; the receiver reads the `cursors` variable.
// - naive:  every pointer move runs "Broadcast a message" (acked), as a workflow on pointermove
//   would; the receiver reads the `messages` variable.
// Each mode and size runs on a fresh server in a child process, so this process measures the clients
// only. The server's own counters (`GET /_local/v1/stats`) give messages sent and events per second.
// The plugin runs against the default budget (100 events/s, enforced); for the naive way the server
// does not enforce it, so the table shows the rate the naive way needs rather than a shut channel.
//
// Flags: --json (the rows as a JSON array, one object per line), --seconds N (measured seconds, default 20),
// --sizes 2,5 (member counts), --modes plugin,naive.
import { fork, type ChildProcess } from 'node:child_process'
import { loadavg } from 'node:os'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { SupabaseClientOptions } from '@supabase/supabase-js'
import { watch, type WatchStopHandle } from 'vue'
import { WebSocket } from 'ws'
import { startRealtimeServer, type RealtimeLimits, type RealtimeMessageStats } from '../server/index'
import { createMemoryHost } from '../src/host/memory-host'
import { createRealtimePlugin, type RealtimePlugin, type ReceivedMessage } from '../src/index'
import { PointerWindowStandIn } from '../test/helpers/pointer-window-stand-in'
import { runBench } from './run-bench'

type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>
const transport = WebSocket as unknown as Transport

type Mode = 'plugin' | 'naive'

/** One row of the table (and of `--json`). */
interface Row {
  mode: Mode
  members: number
  seconds: number
  /** Broadcasts the server received, per member per second. */
  sentPerMemberPerSec: number
  /** Events the server's limiter counted per second (what `maxEventsPerSecond` is compared with). */
  serverEventsPerSec: number
  /** Messages in plus copies out per second (how Supabase counts them). */
  receivedPlusDeliveredPerSec: number
  budget: number
  /** Pointer move at a sender to the position showing at the receiver, in ms. */
  latencyP50Ms: number
  latencyP99Ms: number
  /** Longest time between two positions of one sender shown at the receiver while everyone moved. */
  maxReplayGapMs: number
  /** 99th percentile of those gaps (rare stalls of a loaded machine left out). */
  replayGapP99Ms: number
  /** CPU of this process (every member's client, sending and receiving) per 1,000 pointer moves. */
  cpuMsPer1000Moves: number
  /** The plugin's send interval at the end (member 0), or null for the naive way. */
  intervalMs: number | null
  /** Channels the server shut over budget. */
  channelsShut: number
  /** Naive sends that failed or timed out (0 for the plugin). */
  failedSends: number
  /** Positions the receiver showed during the measured window. */
  samplesShown: number
  /** Longest stall of this process's event loop during the window: a gap no code here can avoid. */
  loopStallMaxMs: number
  /** One-minute load average of the machine at the end of the window. */
  loadAverage: number
}

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    sizes: { type: 'string', default: '2,5,10,25' },
    modes: { type: 'string', default: 'plugin,naive' },
  },
})
const SECONDS = Number(flags.seconds)
const SIZES = flags.sizes.split(',').map(Number)
const MODES = flags.modes.split(',') as Mode[]
const BUDGET = 100
const HZ = 60
const WARMUP_MS = 2000
const TAIL_MS = 1500
const ROOM = 'cursors-bench'
/** The stand-in viewport: one pixel is 0.001 of the page, so a position names the move that made it. */
const VIEWPORT = 1000

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const log = (message: string): void => {
  process.stderr.write(`${message}\n`)
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Viewport position of move `seq`: a sweep of one pixel per move, one row lower every 1,000 moves. */
function positionOf(seq: number): { clientX: number; clientY: number } {
  return { clientX: seq % VIEWPORT, clientY: 100 + Math.floor(seq / VIEWPORT) }
}

/** The move that put a pointer at relative position (x, y). */
function seqOf(x: number, y: number): number {
  return (Math.round(y * VIEWPORT) - 100) * VIEWPORT + Math.round(x * VIEWPORT)
}

interface Member {
  key: string
  plugin: RealtimePlugin
  window: PointerWindowStandIn
  /** When move `seq` was made (performance.now()). */
  stamps: number[]
  seq: number
}

/** What the receiver saw of the others: latencies and the gaps between shown positions. */
class Observer {
  readonly latencies: number[] = []
  readonly gaps: number[] = []
  maxGapMs = 0
  shown = 0
  windowStart = Number.POSITIVE_INFINITY
  windowEnd = Number.POSITIVE_INFINITY
  private readonly last = new Map<string, { seq: number; at: number }>()

  constructor(private readonly stampsOf: (key: string) => number[] | undefined) {}

  see(key: string, x: number, y: number, at: number): void {
    const seq = seqOf(x, y)
    const previous = this.last.get(key)
    if (previous?.seq === seq) return
    this.last.set(key, { seq, at })
    const stamp = this.stampsOf(key)?.[seq]
    if (stamp === undefined || stamp < this.windowStart || stamp > this.windowEnd) return
    this.latencies.push(at - stamp)
    this.shown++
    if (previous && previous.at >= this.windowStart && at <= this.windowEnd) {
      this.gaps.push(at - previous.at)
      this.maxGapMs = Math.max(this.maxGapMs, at - previous.at)
    }
  }
}

type ServerInfo = { url: string; anonKey: string; serviceRoleKey: string }

/** Child process: one server, stopped on request. */
async function serve(): Promise<void> {
  const limits = JSON.parse(process.env.BENCH_LIMITS ?? '{}') as Partial<RealtimeLimits>
  const server = await startRealtimeServer({ port: 0, logLevel: 'error', database: false, limits })
  process.on('message', (message) => {
    if (message === 'stop') void server.stop().then(() => process.exit(0))
  })
  process.send?.({ url: server.url, anonKey: server.anonKey, serviceRoleKey: server.serviceRoleKey } satisfies ServerInfo)
}

function startServer(limits: Partial<RealtimeLimits>): Promise<{ child: ChildProcess; info: ServerInfo }> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_ROLE: 'server', BENCH_LIMITS: JSON.stringify(limits) }, execArgv: ['--import', 'tsx'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('message', (info: ServerInfo) => resolve({ child, info }))
  })
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r))
  child.send('stop')
  await exited
}

async function serverStats(info: ServerInfo): Promise<RealtimeMessageStats> {
  const res = await fetch(`${info.url}/_local/v1/stats`, { headers: { authorization: `Bearer ${info.serviceRoleKey}` } })
  if (!res.ok) throw new Error(`stats: HTTP ${res.status}`)
  return (await res.json()) as RealtimeMessageStats
}

/** Moves every member's pointer at 60 Hz for `ms`; a late tick is dropped, as a browser drops frames. */
async function drive(members: Member[], ms: number): Promise<number> {
  const period = 1000 / HZ
  const start = performance.now()
  let moves = 0
  for (let tick = 0; ; tick++) {
    const due = start + tick * period
    if (due - start >= ms) break
    const now = performance.now()
    if (due > now) await sleep(due - now)
    else if (now - due > period) continue
    for (const member of members) {
      const seq = member.seq++
      member.stamps[seq] = performance.now()
      const { clientX, clientY } = positionOf(seq)
      member.window.move(clientX, clientY)
      moves++
    }
  }
  return moves
}

const cursorsOf = (plugin: RealtimePlugin) => plugin.variables.cursors[ROOM]
const intervalOf = (plugin: RealtimePlugin): number | null => plugin.variables.channels[ROOM]?.liveIntervalMs ?? null

async function runOne(mode: Mode, size: number, measuredSeconds: number = SECONDS): Promise<Row> {
  const limits: Partial<RealtimeLimits> = { maxJoinsPerSecond: 1000, ...(mode === 'naive' ? { maxEventsPerSecond: 1_000_000_000 } : { maxEventsPerSecond: BUDGET }) }
  const { child, info } = await startServer(limits)
  const members: Member[] = []
  const stops: WatchStopHandle[] = []
  let failedSends = 0
  try {
    for (let i = 0; i < size; i++) {
      const window = new PointerWindowStandIn(VIEWPORT, VIEWPORT)
      const plugin = createRealtimePlugin({
        url: info.url,
        key: info.anonKey,
        host: createMemoryHost({ record: 0 }),
        realtime: { transport },
        window,
        maxMessagesPerSecond: BUDGET,
      })
      const member: Member = { key: `member-${i}`, plugin, window, stamps: [], seq: 0 }
      members.push(member)
      await plugin.execute('subscribe', { channel: ROOM, presence: { key: member.key } })
      await plugin.execute('presence', { channel: ROOM, action: 'track', state: { name: `Member ${i}` } })
    }
    await waitUntil(() => members.every((m) => m.plugin.variables.presence[ROOM]?.count === size), 20_000, `${size} members in presence`)
    const byKey = new Map(members.map((m) => [m.key, m.stamps]))
    const observer = new Observer((key) => byKey.get(key))
    const receiver = members[0]!
    if (mode === 'plugin') {
      for (const [i, member] of members.entries()) {
        await member.plugin.execute('shareCursor', { channel: ROOM, label: `Member ${i}` })
      }
      stops.push(
        watch(
          () => cursorsOf(receiver.plugin),
          (cursors) => {
            const at = performance.now()
            for (const cursor of cursors ?? []) observer.see(cursor.key, cursor.x, cursor.y, at)
          },
          { flush: 'sync' },
        ),
      )
    } else {
      for (const member of members) {
        // NOTE: what an app builder would wire: a workflow on pointermove that broadcasts the position.
        member.window.addEventListener('pointermove', (event) => {
          const { clientX, clientY } = event as Event & { clientX: number; clientY: number }
          member.plugin
            .execute('broadcast', { channel: ROOM, event: 'cursor', payload: { key: member.key, x: clientX / VIEWPORT, y: clientY / VIEWPORT } })
            .catch(() => failedSends++)
        })
      }
      let seen: ReceivedMessage | undefined
      stops.push(
        watch(
          () => receiver.plugin.variables.messages[ROOM],
          (list) => {
            if (!list || list.length === 0) return
            const at = performance.now()
            let from = list.length - 1
            while (from > 0 && list[from - 1] !== seen) from--
            for (let i = from; i < list.length; i++) {
              const message = list[i]!
              if (message.self) continue
              const payload = message.payload as { key: string; x: number; y: number }
              observer.see(payload.key, payload.x, payload.y, at)
            }
            seen = list[list.length - 1] as ReceivedMessage
          },
          { flush: 'sync' },
        ),
      )
    }
    await drive(members, WARMUP_MS)
    const statsBefore = await serverStats(info)
    const cpuBefore = process.cpuUsage()
    observer.windowStart = performance.now()
    const failedBefore = failedSends
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    const began = performance.now()
    const moves = await drive(members, measuredSeconds * 1000)
    const seconds = (performance.now() - began) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    loop.disable()
    const intervalMs = mode === 'plugin' ? intervalOf(receiver.plugin) : null
    const statsAfter = await serverStats(info)
    observer.windowEnd = performance.now()
    if (mode === 'plugin') for (const member of members) await member.plugin.execute('stopCursor', { channel: ROOM })
    await sleep(TAIL_MS)
    const received = statsAfter.received - statsBefore.received
    const delivered = statsAfter.delivered - statsBefore.delivered
    return {
      mode,
      members: size,
      seconds: Number(seconds.toFixed(2)),
      sentPerMemberPerSec: received / size / seconds,
      serverEventsPerSec: (statsAfter.limiterEvents - statsBefore.limiterEvents) / seconds,
      receivedPlusDeliveredPerSec: (received + delivered) / seconds,
      budget: BUDGET,
      latencyP50Ms: percentile(observer.latencies, 50),
      latencyP99Ms: percentile(observer.latencies, 99),
      maxReplayGapMs: observer.maxGapMs,
      replayGapP99Ms: percentile(observer.gaps, 99),
      cpuMsPer1000Moves: ((cpu.user + cpu.system) / 1000 / moves) * 1000,
      intervalMs,
      channelsShut: statsAfter.channelsShut,
      failedSends: failedSends - failedBefore,
      samplesShown: observer.shown,
      loopStallMaxMs: loop.max / 1e6,
      loadAverage: loadavg()[0] ?? 0,
    }
  } finally {
    for (const stop of stops) stop()
    await Promise.all(members.map((m) => m.plugin.dispose()))
    await stopServer(child)
  }
}

function printTable(rows: Row[]): void {
  const f = (n: number | null, d = 1): string => (n === null || Number.isNaN(n) ? '-' : n.toFixed(d))
  const naive = new Map(rows.filter((r) => r.mode === 'naive').map((r) => [r.members, r]))
  const header = ['mode', 'members', 'sent/member/s', 'server events/s', 'budget', 'vs naive', 'latency p50 ms', 'p99 ms', 'max replay gap ms', 'gap p99 ms', 'CPU ms/1k moves', 'interval ms', 'shut', 'failed', 'loop stall ms', 'load']
  const table = [
    header,
    ...rows.map((r) => {
      const base = naive.get(r.members)
      return [
        r.mode,
        String(r.members),
        f(r.sentPerMemberPerSec),
        f(r.serverEventsPerSec),
        String(r.budget),
        r.mode === 'plugin' && base ? `${f(r.serverEventsPerSec / base.serverEventsPerSec, 3)}x` : '',
        f(r.latencyP50Ms),
        f(r.latencyP99Ms),
        f(r.maxReplayGapMs),
        f(r.replayGapP99Ms),
        f(r.cpuMsPer1000Moves),
        f(r.intervalMs, 0),
        String(r.channelsShut),
        String(r.failedSends),
        f(r.loopStallMaxMs, 0),
        f(r.loadAverage),
      ]
    }),
  ]
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)))
  console.log(
    `\ncursors benchmark: members moving at ${HZ} Hz for ${SECONDS} s each (after ${WARMUP_MS / 1000} s of warm-up), one receiver measured; fresh server per row; budget ${BUDGET} events/s (enforced for the plugin, lifted for the naive way); Node ${process.version}\n`,
  )
  for (const [i, r] of table.entries()) {
    console.log(r.map((cell, j) => cell.padEnd(widths[j] ?? 0)).join(' | '))
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  }
  const plugin = rows.filter((r) => r.mode === 'plugin')
  const naiveRows = rows.filter((r) => r.mode === 'naive')
  const two = plugin.find((r) => r.members === 2)
  const smooth = plugin.filter((r) => r.members === 2 || r.members === 5)
  const yes = (ok: boolean): string => (ok ? 'yes' : 'NO')
  const worstGap = smooth.reduce<Row | null>((worst, r) => (!worst || r.maxReplayGapMs > worst.maxReplayGapMs ? r : worst), null)
  const gapNote = worstGap
    ? ` (longest ${f(worstGap.maxReplayGapMs, 0)} ms at ${worstGap.members} members, while this process stalled up to ${f(worstGap.loopStallMaxMs, 0)} ms)`
    : ''
  const targets: Array<[string, boolean | null]> = [
    ['plugin: server events/s <= budget at every size', plugin.length ? plugin.every((r) => r.serverEventsPerSec <= r.budget) : null],
    ['plugin: no channel shut', plugin.length ? plugin.every((r) => r.channelsShut === 0) : null],
    ['plugin: latency p50 <= interval + 30 ms at 2 members', two ? two.latencyP50Ms <= (two.intervalMs ?? 50) + 30 : null],
    [`plugin: replay gaps <= 100 ms at 2 and 5 members${gapNote}`, smooth.length ? smooth.every((r) => r.maxReplayGapMs <= 100) : null],
    ['naive: over budget from 2 members on', naiveRows.length ? naiveRows.every((r) => r.serverEventsPerSec > r.budget) : null],
  ]
  console.log(
    '\nsent/member/s and server events/s come from the server\'s counters (GET /_local/v1/stats); server events/s is what its limiter counts (per message: 1 + one per channel of the topic, the sender\'s included). Latency: pointer move at a sender to that position in the receiver\'s variable (member 0). Max replay gap: longest time between two positions of one sender shown at the receiver. CPU: this process (every member\'s client) per 1,000 pointer moves. Loop stall: the longest the receiving process could not run at all; load: the machine\'s load average.',
  )
  console.log('\ntargets:')
  for (const [name, ok] of targets) console.log(`  ${ok === null ? 'not run' : yes(ok)}  ${name}`)
}

async function main(): Promise<void> {
  const rows: Row[] = []
  // NOTE: a short unrecorded run first, so the first row does not pay for compiling the code paths.
  log('warm-up run (not recorded)...')
  for (const mode of MODES) await runOne(mode, 2, 2)
  for (const size of SIZES) {
    for (const mode of MODES) {
      log(`${mode}, ${size} members...`)
      const row = await runOne(mode, size)
      log(`  ${JSON.stringify(row)}`)
      rows.push(row)
    }
  }
  // NOTE: a JSON array with one row object per line: parseable whole, readable line by line.
  if (flags.json) console.log(`[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]`)
  else printTable(rows)
}

runBench(main, { server: serve })
