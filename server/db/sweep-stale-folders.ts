import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { readFolderOwner } from './folder-owner'
import { isProcessRunning } from './process-liveness'
import { removeFolder } from './remove-folder'
import { parseScratchName } from './scratch-names'
import { stopProcessGroups } from './stop-process-groups'

/** Options of {@link sweepStaleFolders}. */
export interface SweepOptions {
  /**
   * Folders of earlier versions of this server, which do not name their owner, are removed once
   * they have not changed for this long (and no PostgreSQL runs in them).
   * @default 600_000 (10 minutes)
   */
  legacyAgeMs?: number
}

/** What {@link sweepStaleFolders} did. */
export interface SweepReport {
  /** Folders deleted (full paths). */
  removed: string[]
  /** PIDs of the process groups stopped first (PostgreSQL left running by a killed owner). */
  stoppedGroups: number[]
  /** Stale folders that could not be deleted (another user's, for instance). */
  failed: string[]
}

function isOlderThan(folder: string, ageMs: number): boolean {
  try {
    return Date.now() - statSync(folder).mtimeMs > ageMs
  } catch {
    return false
  }
}

/** A folder of an earlier version: stale once no postmaster runs in it and it has not changed for `ageMs`. */
function isStaleLegacyFolder(folder: string, ageMs: number): boolean {
  try {
    const pid = Number(readFileSync(path.join(folder, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
    if (isProcessRunning(pid)) return false
  } catch {
    // no postmaster.pid: never started, stopped, or half deleted
  }
  return isOlderThan(folder, ageMs)
}

/**
 * Deletes the folders that runs of the embedded PostgreSQL left in `root` when they could not
 * clean up (killed with SIGKILL, power loss): a data folder or a template being built whose owner
 * process no longer runs, after stopping the PostgreSQL its owner file lists if that still runs.
 * Folders of running owners and finished templates are kept. Never throws.
 */
export async function sweepStaleFolders(root: string, options: SweepOptions = {}): Promise<SweepReport> {
  const legacyAgeMs = options.legacyAgeMs ?? 600_000
  const report: SweepReport = { removed: [], stoppedGroups: [], failed: [] }
  let names: string[]
  try {
    names = readdirSync(root)
  } catch {
    return report
  }
  for (const name of names) {
    const entry = parseScratchName(name)
    if (entry === null || entry.kind === 'template') continue
    const folder = path.join(root, name)
    if (entry.kind === 'data' || entry.kind === 'template-work') {
      const owner = readFolderOwner(folder)
      const startTime = owner?.owner.pid === entry.ownerPid ? owner.owner.startTime : null
      if (isProcessRunning(entry.ownerPid, startTime)) continue
      // NOTE: only a group whose leader is the very process recorded (same start time) is stopped.
      const orphans = (owner?.groups ?? []).filter((group) => group.startTime !== null && isProcessRunning(group.pid, group.startTime)).map((group) => group.pid)
      if (orphans.length > 0) {
        await stopProcessGroups(orphans)
        report.stoppedGroups.push(...orphans)
      }
    } else if (!isStaleLegacyFolder(folder, legacyAgeMs)) {
      continue
    }
    try {
      removeFolder(folder)
      report.removed.push(folder)
    } catch {
      report.failed.push(folder)
    }
  }
  return report
}
