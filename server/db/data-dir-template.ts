import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exitGuard } from './exit-guard'
import { OWNER_FILE, writeFolderOwner, type ProcessStamp } from './folder-owner'
import { processStartTime } from './process-liveness'
import { removeFolder } from './remove-folder'
import { templateFolderName, templateWorkName } from './scratch-names'

/** Options of {@link dataDirTemplate}. */
export interface DataDirTemplateOptions {
  /** The scratch folder the template lives in. */
  root: string
  /** PostgreSQL version: one template per version (and user), shared by every checkout. */
  version: string
  /** The user the files belong to (part of the name, since a template of another user may not be readable). */
  uid: number
  /** What else shapes the template (initdb flags): a template made with other settings is replaced. */
  settings: string
  /** Runs initdb into `dataDir`; `onSpawn` records initdb's PID so that a later start can stop it if this one dies. */
  build: (dataDir: string, onSpawn: (pid: number) => void) => Promise<void>
}

const STAMP_FILE = '.complete'

function stampOf(settings: string): string {
  return createHash('sha256').update(settings).digest('hex').slice(0, 16)
}

function isComplete(folder: string, stamp: string): boolean {
  try {
    return readFileSync(path.join(folder, STAMP_FILE), 'utf8') === stamp && existsSync(path.join(folder, 'data', 'PG_VERSION'))
  } catch {
    return false
  }
}

/** Puts the finished `building` folder in place of `target`, whatever another process did meanwhile. */
function install(root: string, name: string, building: string, target: string, stamp: string): void {
  try {
    renameSync(building, target)
    return
  } catch {
    // NOTE: a folder is there already: another process's template (as good), or one of other settings.
  }
  if (isComplete(target, stamp)) return
  const old = path.join(root, templateWorkName(name, 'old', process.pid))
  try {
    renameSync(target, old)
  } catch {
    // NOTE: someone else set it aside first.
  }
  try {
    renameSync(building, target)
  } catch (error) {
    if (!isComplete(target, stamp)) throw error
  }
  try {
    removeFolder(old)
  } catch {
    // NOTE: the next start's sweep removes it once this process is gone.
  }
}

/**
 * The data directory of the template for this PostgreSQL version: a freshly initialised data
 * directory to copy instead of running initdb on each start (initdb is most of a cold start).
 * Built once (in a folder of its own, then renamed into place, so a half-built template is never
 * used and concurrent starts from several checkouts are safe), and replaced when the settings differ.
 */
export async function dataDirTemplate(options: DataDirTemplateOptions): Promise<string> {
  const name = templateFolderName(options.version, options.uid)
  const target = path.join(options.root, name)
  const stamp = stampOf(options.settings)
  if (isComplete(target, stamp)) return path.join(target, 'data')
  const building = path.join(options.root, templateWorkName(name, 'build', process.pid))
  mkdirSync(building, { mode: 0o755 })
  // NOTE: as root, initdb runs as the `postgres` user, which must be able to enter this folder.
  chmodSync(building, 0o755)
  const self: ProcessStamp = { pid: process.pid, startTime: processStartTime(process.pid) }
  writeFolderOwner(building, { owner: self, groups: [] })
  const guard = exitGuard.folder(building)
  try {
    await options.build(path.join(building, 'data'), (pid) => writeFolderOwner(building, { owner: self, groups: [{ pid, startTime: processStartTime(pid) }] }))
    rmSync(path.join(building, OWNER_FILE), { force: true })
    writeFileSync(path.join(building, STAMP_FILE), stamp, { mode: 0o644 })
    install(options.root, name, building, target, stamp)
  } catch (error) {
    guard.release()
    throw error
  }
  if (existsSync(building)) guard.release()
  else guard.keep()
  return path.join(target, 'data')
}
