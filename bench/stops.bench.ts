/**
 * `npm run bench:stops [-- runs [node|npm]]`: starts `npm run realtime` (or its Node process alone)
 * again and again and stops it with a signal at a different moment each time: while Node loads,
 * once its data folder exists, once PostgreSQL is spawned, and under heavy load (sockets
 * broadcasting to each other, rows inserted as fast as possible) with SIGTERM, SIGINT, SIGTERM
 * twice, and SIGTERM then SIGINT. Prints, per run: how long the stop took, whether it printed
 * "Realtime stopped", and what it left behind (data folders, PostgreSQL processes).
 */
import { spawnRealtimeCli, UNLIMITED_CLI_ENV, type CliLauncher } from '../test/helpers/realtime-cli-process'
import { startRealtimeLoad, type RunningLoad } from '../test/helpers/realtime-load'
import { watchRunLeftovers } from '../test/helpers/run-leftovers'
import { waitFor } from '../test/helpers/server-fixture'

type Moment = 'while loading' | 'data folder' | 'postgres spawned' | 'load: SIGTERM' | 'load: SIGINT' | 'load: SIGTERM x2' | 'load: SIGTERM, SIGINT'

const MOMENTS: Moment[] = ['while loading', 'data folder', 'postgres spawned', 'load: SIGTERM', 'load: SIGINT', 'load: SIGTERM x2', 'load: SIGTERM, SIGINT']
/** Longest wait for a stop before the run counts as hung (and is killed). */
const HUNG_MS = 30_000

interface Row {
  run: number
  moment: Moment
  'stop (ms)': number | 'hung'
  exit: string
  'stop line': string
  'sent under load': number
  'folders left': number
  'processes left': number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function stopOnce(run: number, moment: Moment, launcher: CliLauncher): Promise<Row> {
  const cli = spawnRealtimeCli(launcher, UNLIMITED_CLI_ENV)
  const pid = await cli.serverPid()
  const watch = watchRunLeftovers(pid)
  const ready = (): boolean => /^PostgreSQL at /m.test(cli.output())
  let load: RunningLoad | null = null
  if (moment === 'while loading') await sleep(100 + Math.random() * 300)
  else if (moment === 'data folder') await waitFor(() => watch.sawDataFolder() || ready(), HUNG_MS, 'the data folder')
  else if (moment === 'postgres spawned') await waitFor(() => watch.groupsSeen().length > 0 || ready(), HUNG_MS, 'PostgreSQL')
  else {
    load = await startRealtimeLoad(await cli.ready())
    await sleep(800 + Math.random() * 1500)
  }
  // NOTE: npm forwards SIGINT and SIGTERM to the server, so the signal goes where a user's would.
  const target = cli.child.pid ?? pid
  const started = Date.now()
  if (moment === 'load: SIGINT') process.kill(target, 'SIGINT')
  else process.kill(target, 'SIGTERM')
  if (moment === 'load: SIGTERM x2') {
    await sleep(20)
    process.kill(target, 'SIGTERM')
  } else if (moment === 'load: SIGTERM, SIGINT') {
    await sleep(60)
    process.kill(target, 'SIGINT')
  }
  const exit = await Promise.race([cli.exited, sleep(HUNG_MS).then(() => null)])
  const took = Date.now() - started
  await load?.stop()
  if (exit === null) cli.kill()
  // NOTE: npm exits right after the server; give the last file operations a moment.
  if (launcher === 'npm') await sleep(300)
  const left = watch.leftovers()
  return {
    run,
    moment,
    'stop (ms)': exit === null ? 'hung' : took,
    exit: exit === null ? '-' : exit.signal ?? String(exit.code),
    'stop line': /^Realtime stopped \(/m.test(cli.output()) ? 'yes' : 'no',
    'sent under load': load?.sent() ?? 0,
    'folders left': left.folders.length,
    'processes left': left.processes.length,
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 14)
  const launcher: CliLauncher = process.argv[3] === 'node' ? 'node' : 'npm'
  const rows: Row[] = []
  for (let run = 0; run < runs; run++) {
    const row = await stopOnce(run, MOMENTS[run % MOMENTS.length] as Moment, launcher)
    rows.push(row)
    console.log(JSON.stringify(row))
  }
  console.table(rows)
  const underLoad = rows.filter((row) => row.moment.startsWith('load'))
  console.log(
    `${runs} stops (${underLoad.length} under load) through ${launcher === 'npm' ? 'npm run realtime' : 'node server/cli.ts'}: ` +
      `${rows.filter((row) => row['stop (ms)'] === 'hung').length} hung, ` +
      `${rows.filter((row) => row['stop line'] === 'no').length} without "Realtime stopped" (a signal before Node runs the server ends Node itself), ` +
      `${rows.reduce((sum, row) => sum + row['folders left'], 0)} folders and ${rows.reduce((sum, row) => sum + row['processes left'], 0)} processes left.`,
  )
  process.exit(rows.some((row) => row['folders left'] > 0 || row['processes left'] > 0 || row['stop (ms)'] === 'hung') ? 1 : 0)
}

void main()
