/**
 * `npm run realtime` stopped by SIGTERM or SIGINT at any moment (while it starts, under heavy
 * load, twice in a row) ends with "Realtime stopped" and leaves no data folder and no PostgreSQL
 * process behind; a run killed outright is cleaned up by the next start.
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { postgresBinaries } from '../../server/db/postgres-binaries'
import { isProcessGroupRunning } from '../../server/db/process-liveness'
import { templateFolderName } from '../../server/db/scratch-names'
import { scratchRoot } from '../../server/db/scratch-root'
import { startEmbeddedPostgres } from '../../server/db/start-embedded-postgres'
import { spawnRealtimeCli, UNLIMITED_CLI_ENV, type CliLauncher, type CliProcess } from '../helpers/realtime-cli-process'
import { startRealtimeLoad, type RunningLoad } from '../helpers/realtime-load'
import { watchRunLeftovers, type RunWatch } from '../helpers/run-leftovers'
import { waitFor } from '../helpers/server-fixture'

const runs: CliProcess[] = []
const loads: RunningLoad[] = []
const cleanups: Array<() => void> = []

afterEach(async () => {
  await Promise.all(loads.splice(0).map((load) => load.stop()))
  for (const run of runs.splice(0)) run.kill()
})

afterAll(() => {
  for (const cleanup of cleanups) cleanup()
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Started {
  run: CliProcess
  watch: RunWatch
  pid: number
}

async function start(launcher: CliLauncher = 'node'): Promise<Started> {
  const run = spawnRealtimeCli(launcher, UNLIMITED_CLI_ENV)
  runs.push(run)
  const pid = await run.serverPid()
  return { run, watch: watchRunLeftovers(pid), pid }
}

async function underLoad(started: Started): Promise<RunningLoad> {
  const ready = await started.run.ready()
  const load = await startRealtimeLoad(ready)
  loads.push(load)
  // NOTE: until messages flow both ways and rows are written, the server is not busy yet.
  await waitFor(() => load.received() > 1000 && load.sent() > 1000, 20_000, 'traffic through the server')
  return load
}

async function exitOf(run: CliProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null
  void run.exited.then((value) => (exit = value))
  return waitFor(() => exit, 40_000, `the exit of the server; it printed:\n${run.output()}`)
}

async function expectCleanStop(started: Started, stopLine: RegExp = /^Realtime stopped \((SIGTERM|SIGINT)/m): Promise<void> {
  const exit = await exitOf(started.run)
  expect(started.run.output()).toMatch(stopLine)
  expect(exit).toEqual({ code: 0, signal: null })
  expect(started.watch.leftovers()).toEqual({ folders: [], processes: [] })
}

describe('npm run realtime stopped by a signal', () => {
  it('stops at every moment of its startup, leaving nothing behind', async () => {
    const moments: Array<{ name: string; signal: NodeJS.Signals; reached: (started: Started) => boolean }> = [
      { name: 'while Node loads the server', signal: 'SIGTERM', reached: () => true },
      { name: 'once its data folder exists', signal: 'SIGINT', reached: ({ watch }) => watch.sawDataFolder() },
      { name: 'once PostgreSQL is spawned', signal: 'SIGTERM', reached: ({ watch }) => watch.groupsSeen().length > 0 },
      { name: 'while the schema is applied', signal: 'SIGINT', reached: ({ watch }) => watch.groupsSeen().length > 0 },
    ]
    for (const [index, moment] of moments.entries()) {
      const started = await start()
      await waitFor(() => moment.reached(started) || /^PostgreSQL at/m.test(started.run.output()), 30_000, moment.name)
      if (index === 3) await sleep(120)
      if (index > 0) {
        process.kill(started.pid, moment.signal)
        await expectCleanStop(started)
        continue
      }
      // NOTE: so early, Node may not have run a line of the server yet: then it dies of the signal, having made nothing.
      await sleep(300)
      process.kill(started.pid, moment.signal)
      const exit = await exitOf(started.run)
      if (exit.signal === null) expect(started.run.output()).toMatch(/^Realtime stopped \(SIGTERM while starting\)$/m)
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true)
      expect(started.watch.leftovers()).toEqual({ folders: [], processes: [] })
    }
  }, 120_000)

  it('stops under heavy load on SIGTERM, leaving nothing behind', async () => {
    const started = await start()
    const load = await underLoad(started)
    process.kill(started.pid, 'SIGTERM')
    await expectCleanStop(started, /^Realtime stopped \(SIGTERM\)$/m)
    expect(load.sent()).toBeGreaterThan(1000)
  })

  it('takes the same signal twice in quick succession (a Ctrl-C passed on by npm too) as one stop', async () => {
    const started = await start()
    await underLoad(started)
    process.kill(started.pid, 'SIGINT')
    process.kill(started.pid, 'SIGINT')
    await expectCleanStop(started, /^Realtime stopped \(SIGINT\)$/m)
  })

  it('stops at once on a second, different signal during the stop, still leaving nothing behind', async () => {
    const started = await start()
    await underLoad(started)
    process.kill(started.pid, 'SIGTERM')
    await sleep(30)
    process.kill(started.pid, 'SIGINT')
    await expectCleanStop(started, /^Realtime stopped \(SIGTERM, then SIGINT: stopped at once\)$/m)
  })

  it('through npm: SIGTERM to npm stops the server, and npm exits after it', async () => {
    const started = await start('npm')
    await underLoad(started)
    process.kill(started.run.child.pid ?? -1, 'SIGTERM')
    const exit = await exitOf(started.run)
    expect(started.run.output()).toMatch(/^Realtime stopped \(SIGTERM\)$/m)
    // NOTE: npm re-raises the signal its script ended with, or exits 0: either way the server is gone first.
    expect(exit.code === 0 || exit.signal === 'SIGTERM' || exit.code === 143).toBe(true)
    expect(started.watch.leftovers()).toEqual({ folders: [], processes: [] })
  })
})

/** Watchdogs of process `pid`: detached shells waiting for it to die. */
function watchdogsOf(pid: number): number[] {
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`PARENT_PID=${pid}`)) found.push(Number(name))
    } catch {
      // gone, or not ours to read
    }
  }
  return found
}

describe('a run killed outright', () => {
  it('is cleaned up by the next start: its PostgreSQL stopped and its folder deleted', async () => {
    const killed = await start()
    await killed.run.ready()
    const [postmaster] = killed.watch.groupsSeen()
    expect(postmaster).toBeDefined()
    // NOTE: its watchdogs go first, so that only the next start's sweep can clean up.
    for (const watchdog of watchdogsOf(killed.pid)) process.kill(watchdog, 'SIGKILL')
    process.kill(killed.pid, 'SIGKILL')
    await exitOf(killed.run)
    expect(isProcessGroupRunning(postmaster ?? -1)).toBe(true)
    expect(readdirSync(scratchRoot()).some((name) => name.startsWith(`realtime-pg-${killed.pid}-`))).toBe(true)

    const next = await start()
    await next.run.ready()
    expect(killed.watch.leftovers()).toEqual({ folders: [], processes: [] })
    process.kill(next.pid, 'SIGTERM')
    await expectCleanStop(next)
  })
})

describe('startEmbeddedPostgres aborted', () => {
  it('while initdb builds the template: stops initdb and deletes the half-built template and the data folder', async () => {
    // NOTE: binaries of their own (a copy) have a template of their own, not built yet, so initdb runs.
    const folder = mkdtempSync(path.join(tmpdir(), 'realtime-abort-'))
    // NOTE: as root, PostgreSQL runs as the `postgres` user, which must reach the copy.
    chmodSync(folder, 0o755)
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }))
    const native = path.join(folder, 'native')
    cpSync(postgresBinaries(null).root, native, { recursive: true, verbatimSymlinks: true })
    const template = path.join(scratchRoot(), templateFolderName(postgresBinaries(null, native).version, userInfo().uid))
    cleanups.push(() => rmSync(template, { recursive: true, force: true }))
    const watch = watchRunLeftovers(process.pid)
    const controller = new AbortController()
    const starting = startEmbeddedPostgres({ binariesDir: native, signal: controller.signal }).then(
      (db) => db,
      (error: unknown) => error,
    )
    await waitFor(() => watch.groupsSeen().length > 0, 30_000, 'initdb')
    controller.abort(new Error('stop'))
    const outcome = await starting
    expect(outcome).toBeInstanceOf(Error)
    expect((outcome as Error).message).toBe('stop')
    expect(watch.leftovers()).toEqual({ folders: [], processes: [] })
  })
})
