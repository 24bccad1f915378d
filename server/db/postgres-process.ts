import { spawn, type ChildProcess } from 'node:child_process'
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { PostgresAccount, PostgresBinaries } from './postgres-binaries'
import { RealtimeServerError } from '../server-error'

/** English messages, so that the "ready" line can be recognised whatever the machine's locale. */
const ENV = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' }
const TAIL = 2000

function spawnOptions(account: PostgresAccount | null): { uid?: number; gid?: number } {
  return account ? { uid: account.uid, gid: account.gid } : {}
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
export async function runInitdb(binaries: PostgresBinaries, dataDir: string, password: string, flags: string[], account: PostgresAccount | null): Promise<void> {
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
      let output = ''
      const collect = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-TAIL)
      }
      child.stdout.on('data', collect)
      child.stderr.on('data', collect)
      child.once('error', (error) => reject(spawnFailure(binaries.initdb, error)))
      child.once('close', (code, signal) => {
        if (code === 0) resolve()
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
}

/**
 * Starts `postgres -D dataDir -p port …` and resolves once it accepts connections. Every failure
 * (spawn error, early exit, no "ready" line within `timeoutMs`) rejects with a {@link RealtimeServerError}.
 */
export function startPostgresProcess(
  binaries: PostgresBinaries,
  dataDir: string,
  port: number,
  flags: string[],
  account: PostgresAccount | null,
  onLog: (line: string) => void,
  timeoutMs = 60_000,
): Promise<PostgresProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), ...flags], {
      ...spawnOptions(account),
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let settled = false
    const fail = (error: RealtimeServerError): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      reject(error)
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
        resolve({ child, pid: child.pid ?? 0 })
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

/** Stops a postmaster: fast shutdown (SIGINT), then SIGQUIT after `graceMs`. Resolves when it has exited. */
export async function stopPostgresProcess(processHandle: PostgresProcess, graceMs = 10_000): Promise<void> {
  const { child } = processHandle
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGINT')
  const late = setTimeout(() => child.kill('SIGQUIT'), graceMs)
  // NOTE: bounded, in case the process was already gone before the signal.
  let giveUp: NodeJS.Timeout | undefined
  await Promise.race([exited, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, graceMs * 2)))])
  clearTimeout(late)
  clearTimeout(giveUp)
}
