import { spawn, type ChildProcess } from 'node:child_process'
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exitGuard } from './exit-guard'
import type { PostgresAccount, PostgresBinaries } from './postgres-binaries'
import { RealtimeServerError } from '../server-error'
import { stopProcessGroups } from './stop-process-groups'

/** English messages, so that the "ready" line can be recognised whatever the machine's locale. */
const ENV = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' }
const TAIL = 2000

/**
 * Each program runs in its own process group (`detached`), so that it and its children can be stopped
 * together by group, and so that a Ctrl-C in the terminal reaches only Node, which then stops
 * PostgreSQL in order.
 */
function spawnOptions(account: PostgresAccount | null): { uid?: number; gid?: number; detached: boolean } {
  return { ...(account ? { uid: account.uid, gid: account.gid } : {}), detached: process.platform !== 'win32' }
}

/** What a caller may add to a start: a signal that aborts it, and a hook that learns the PID at once. */
export interface SpawnHooks {
  /** Aborting it stops the program (its whole group) and rejects with `signal.reason`. */
  signal?: AbortSignal
  /** Called with the PID right after the spawn (to record it where a later start can find it). */
  onSpawn?: (pid: number) => void
}

/** Tells `hooks.onSpawn` the PID; recording it is best effort and never fails the start. */
function reportSpawn(hooks: SpawnHooks, pid: number | undefined): void {
  if (pid === undefined) return
  try {
    hooks.onSpawn?.(pid)
  } catch {
    // NOTE: without the record, the exit hook and the watchdog's folder removal still apply.
  }
}

/**
 * Stops the process group of `child` (SIGQUIT, then SIGKILL after `quitMs`) and resolves once
 * `child` has exited and no process of its group runs.
 */
async function killAndWait(child: ChildProcess, quitMs: number): Promise<void> {
  const running = child.exitCode === null && child.signalCode === null
  const exited = running ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : Promise.resolve()
  if (child.pid !== undefined) await stopProcessGroups([child.pid], { quitMs, killMs: 5000 })
  let timer: NodeJS.Timeout | undefined
  // NOTE: bounded, in case the exit was reported before this listener was added.
  await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))])
  clearTimeout(timer)
}

/** Explains a failed spawn (`EACCES`, `ENOENT`) in terms of the program. */
function spawnFailure(program: string, error: NodeJS.ErrnoException): RealtimeServerError {
  return new RealtimeServerError(
    error.code === 'EACCES' || error.code === 'ENOENT' ? 'DATABASE_BINARIES_UNREACHABLE' : 'DATABASE_START_FAILED',
    { program, message: `(${error.code ?? 'error'} running ${program})` },
    { cause: error },
  )
}

/**
 * Runs initdb into `dataDir` (created, and handed to `account` when PostgreSQL runs as another
 * user). Rejects with a {@link RealtimeServerError} carrying initdb's output.
 */
export async function runInitdb(
  binaries: PostgresBinaries,
  dataDir: string,
  password: string,
  flags: string[],
  account: PostgresAccount | null,
  hooks: SpawnHooks = {},
): Promise<void> {
  hooks.signal?.throwIfAborted()
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const passwordFile = path.join(path.dirname(dataDir), `.pwfile-${path.basename(dataDir)}`)
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 })
  if (account) {
    chownSync(dataDir, account.uid, account.gid)
    chownSync(passwordFile, account.uid, account.gid)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        binaries.initdb,
        [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--lc-messages=C', ...flags],
        { ...spawnOptions(account), env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      const unguard = child.pid === undefined ? () => undefined : exitGuard.processGroup(child.pid)
      reportSpawn(hooks, child.pid)
      let output = ''
      const collect = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-TAIL)
      }
      const onAbort = (): void => {
        void killAndWait(child, 0)
      }
      hooks.signal?.addEventListener('abort', onAbort, { once: true })
      child.stdout.on('data', collect)
      child.stderr.on('data', collect)
      child.once('error', (error) => {
        unguard()
        hooks.signal?.removeEventListener('abort', onAbort)
        reject(spawnFailure(binaries.initdb, error))
      })
      child.once('close', (code, signal) => {
        unguard()
        hooks.signal?.removeEventListener('abort', onAbort)
        if (hooks.signal?.aborted) reject(hooks.signal.reason as Error)
        else if (code === 0) resolve()
        else reject(new RealtimeServerError('DATABASE_INIT_FAILED', { message: `(initdb exited with ${code ?? signal}: ${output.trim()})` }))
      })
    })
  } finally {
    rmSync(passwordFile, { force: true })
  }
}

/** A started postmaster. */
export interface PostgresProcess {
  readonly child: ChildProcess
  readonly pid: number
  /** Stops guarding its process group at exit ({@link stopPostgresProcess} calls it once the group is gone). */
  readonly unguard: () => void
}

/**
 * Starts `postgres -D dataDir -p port …` and resolves once it accepts connections. Every failure
 * (spawn error, early exit, no "ready" line within `timeoutMs`) rejects with a {@link RealtimeServerError},
 * once the process has exited; an abort rejects with the signal's reason, also once it has exited.
 */
export function startPostgresProcess(
  binaries: PostgresBinaries,
  dataDir: string,
  port: number,
  flags: string[],
  account: PostgresAccount | null,
  onLog: (line: string) => void,
  hooks: SpawnHooks & { timeoutMs?: number } = {},
): Promise<PostgresProcess> {
  const timeoutMs = hooks.timeoutMs ?? 60_000
  return new Promise((resolve, reject) => {
    if (hooks.signal?.aborted) {
      reject(hooks.signal.reason as Error)
      return
    }
    const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), ...flags], {
      ...spawnOptions(account),
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const unguard = child.pid === undefined ? () => undefined : exitGuard.processGroup(child.pid)
    reportSpawn(hooks, child.pid)
    let output = ''
    let settled = false
    const onAbort = (): void => fail(hooks.signal?.reason as Error)
    hooks.signal?.addEventListener('abort', onAbort, { once: true })
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      hooks.signal?.removeEventListener('abort', onAbort)
      void killAndWait(child, 1000).then(() => {
        unguard()
        reject(error)
      })
    }
    const timer = setTimeout(
      () => fail(new RealtimeServerError('DATABASE_START_FAILED', { port, message: `(not ready after ${timeoutMs} ms: ${output.trim()})` })),
      timeoutMs,
    )
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8')
      onLog(text)
      output = (output + text).slice(-TAIL)
      if (!settled && output.includes('database system is ready to accept connections')) {
        settled = true
        clearTimeout(timer)
        hooks.signal?.removeEventListener('abort', onAbort)
        resolve({ child, pid: child.pid ?? 0, unguard })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', (error) => fail(spawnFailure(binaries.postgres, error)))
    child.once('close', (code, signal) =>
      fail(new RealtimeServerError('DATABASE_START_FAILED', { port, message: `(postgres exited with ${code ?? signal}: ${output.trim()})` })),
    )
  })
}

/**
 * Stops a postmaster and everything it started: fast shutdown (SIGINT); after `graceMs`, immediate
 * shutdown (SIGQUIT) of its whole process group, then SIGKILL. Resolves once none of its processes
 * runs, so that its data directory can be deleted without racing a process still writing there.
 */
export async function stopPostgresProcess(processHandle: PostgresProcess, graceMs = 5000): Promise<void> {
  const { child } = processHandle
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGINT')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))])
    clearTimeout(timer)
  }
  await stopProcessGroups([processHandle.pid])
  processHandle.unguard()
}
