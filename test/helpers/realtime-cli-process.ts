import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { waitFor } from './server-fixture'

/** How the command line server is started: the way the docs say (`npm run realtime`) or its Node process alone. */
export type CliLauncher = 'npm' | 'node'

/** What the ready lines say. */
export interface CliReady {
  url: string
  anonKey: string
  databaseUrl: string | null
}

/** A running `npm run realtime` (or `node --import tsx server/cli.ts`). */
export interface CliProcess {
  readonly child: ChildProcess
  /** Everything it printed so far, stdout and stderr. */
  output(): string
  /** PID of the Node process that runs `server/cli.ts` (npm's child when started through npm). */
  serverPid(): Promise<number>
  /** Resolves with the ready lines (the embedded PostgreSQL's included), or rejects if it exits first or after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<CliReady>
  /** Resolves when the launched process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGKILLs what still runs of it (a test's last resort); never throws. */
  kill(): void
}

/** Environment that keeps the server's own limits out of the way of a load test. */
export const UNLIMITED_CLI_ENV = {
  TENANT_MAX_EVENTS_PER_SECOND: '10000000',
  TENANT_MAX_JOINS_PER_SECOND: '100000',
  TENANT_MAX_CONCURRENT_USERS: '100000',
} as const

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    // NOTE: kernels without that file: scan the parents of every process.
    const found: number[] = []
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        if (ppid === pid) found.push(Number(name))
      } catch {
        // gone meanwhile
      }
    }
    return found
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

/**
 * Starts the command line server on free ports (REALTIME_PORT=0, DATABASE_PORT=0), with `env` added,
 * and collects its output.
 */
export function spawnRealtimeCli(launcher: CliLauncher, env: Record<string, string> = {}): CliProcess {
  const fullEnv = { ...process.env, REALTIME_PORT: '0', DATABASE_PORT: '0', REALTIME_LOG_LEVEL: 'error', ...env }
  const child =
    launcher === 'npm'
      ? spawn('npm', ['run', '--silent', 'realtime'], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts'], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let exitedYet = false
  void exited.then(() => (exitedYet = true))
  let known: number | null = launcher === 'node' ? (child.pid ?? null) : null
  const serverPid = async (): Promise<number> => {
    if (known !== null) return known
    // NOTE: npm runs the script as `exec node …`, so the server is npm's own child.
    known = await waitFor(() => childrenOf(child.pid ?? -1).find((pid) => commandOf(pid).includes('server/cli.ts')), 20_000, 'the server process under npm')
    return known
  }
  return {
    child,
    output: () => text,
    serverPid,
    exited,
    async ready(timeoutMs = 30_000) {
      await waitFor(() => exitedYet || /^PostgreSQL at /m.test(text), timeoutMs, 'the ready lines')
      if (exitedYet) throw new Error(`the server exited before it was ready:\n${text}`)
      const ready = /ready at (http:\/\/[^\s]+) .*anon key: (\S+)/.exec(text)
      if (!ready?.[1] || !ready[2]) throw new Error(`no ready line in:\n${text}`)
      return { url: ready[1], anonKey: ready[2], databaseUrl: /^PostgreSQL at (\S+)/m.exec(text)?.[1] ?? null }
    },
    kill() {
      for (const pid of [known, child.pid]) {
        if (pid === null || pid === undefined) continue
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    },
  }
}
