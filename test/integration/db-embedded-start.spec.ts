/**
 * The embedded PostgreSQL starts from any folder (as root too: binaries inside a private folder are
 * run from a readable copy), every start failure is a RealtimeServerError with a fix, and
 * `npm run realtime` honours DATABASE_PORT.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { canReach, postgresBinaries } from '../../server/db/postgres-binaries'
import { templateFolderName } from '../../server/db/scratch-names'
import { scratchRoot } from '../../server/db/scratch-root'
import { startEmbeddedPostgres } from '../../server/db/start-embedded-postgres'
import { isRealtimeServerError, RealtimeServerError } from '../../server/server-error'

const cleanups: Array<() => void> = []
afterAll(() => {
  for (const cleanup of cleanups) cleanup()
})

function installedNative(): string {
  return postgresBinaries(null).root
}

function privateFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'realtime-private-'))
  execFileSync('chmod', ['700', folder])
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

describe('embedded PostgreSQL start', () => {
  it('runs binaries that sit inside a private (mode 700) folder', async () => {
    const native = path.join(privateFolder(), 'project', 'native')
    mkdirSync(path.dirname(native), { recursive: true })
    execFileSync('cp', ['-a', installedNative(), native])
    const account = userInfo().uid === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : null
    const chosen = postgresBinaries(account, native)
    if (chosen.root !== native) cleanups.push(() => rmSync(chosen.root, { recursive: true, force: true }))
    // NOTE: binaries given by folder get an initdb template of their own; it goes with them.
    cleanups.push(() => rmSync(path.join(scratchRoot(), templateFolderName(chosen.version, userInfo().uid)), { recursive: true, force: true }))
    // As root the `postgres` user cannot enter the folder, so a readable copy is chosen; otherwise the folder itself.
    expect(chosen.root === native).toBe(canReach(path.join(native, 'bin'), account))
    expect(canReach(chosen.postgres, account)).toBe(true)

    const db = await startEmbeddedPostgres({ binariesDir: native })
    try {
      const client = new pg.Client({ connectionString: db.url })
      await client.connect()
      const { rows } = await client.query<{ answer: number }>('select 6 * 7 as answer')
      await client.end()
      expect(rows[0]?.answer).toBe(42)
    } finally {
      await db.stop()
    }
  })

  it('reports binaries that cannot be run as a RealtimeServerError with a fix, promptly', async () => {
    const native = path.join(privateFolder(), 'native')
    // A folder where a program is expected: spawn fails with EACCES, as for an unreachable binary.
    mkdirSync(path.join(native, 'bin', 'initdb'), { recursive: true })
    mkdirSync(path.join(native, 'bin', 'postgres'), { recursive: true })
    mkdirSync(path.join(native, 'lib'), { recursive: true })
    const started = Date.now()
    const error: unknown = await startEmbeddedPostgres({ binariesDir: native }).then(
      () => null,
      (reason: unknown) => reason,
    )
    const copy = userInfo().uid === 0 ? postgresBinaries({ uid: -1, gid: -1 }, native).root : null
    if (copy && copy !== native) rmSync(copy, { recursive: true, force: true })
    expect(isRealtimeServerError(error)).toBe(true)
    const serverError = error as RealtimeServerError
    expect(serverError.code).toBe('DATABASE_BINARIES_UNREACHABLE')
    expect(serverError.message).toContain('EACCES')
    expect(serverError.fix).toContain('DATABASE_URL')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('npm run realtime starts the embedded database on DATABASE_PORT', async () => {
    const databasePort = await freePort()
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts'], {
      env: { ...process.env, REALTIME_PORT: '0', DATABASE_PORT: String(databasePort), REALTIME_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      const deadline = Date.now() + 45_000
      while (!output.includes('PostgreSQL at') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(output).toContain(`@127.0.0.1:${databasePort}/postgres`)
      const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${databasePort}/postgres` })
      await client.connect()
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from public.todos')
      await client.end()
      expect(rows[0]?.n).toBeGreaterThanOrEqual(0)
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    expect(output).toContain('Realtime stopped (SIGTERM)')
  })
})
