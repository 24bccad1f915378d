import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** A process named for good: its PID and, where the system tells, its start time. */
export interface ProcessStamp {
  pid: number
  startTime: string | null
}

/** Who owns a data folder: the Node process, and the process groups it started in it (the postmaster). */
export interface FolderOwner {
  owner: ProcessStamp
  groups: ProcessStamp[]
}

/**
 * The file, inside each data folder, naming its owner. One line per process,
 * `owner <pid> <start time or ->` then `group <pid> <start time or ->`, so that a shell can read it too.
 */
export const OWNER_FILE = 'owner'

function line(kind: string, stamp: ProcessStamp): string {
  return `${kind} ${stamp.pid} ${stamp.startTime ?? '-'}\n`
}

/** Writes (or replaces, atomically) the owner file of `folder`. */
export function writeFolderOwner(folder: string, owner: FolderOwner): void {
  const target = path.join(folder, OWNER_FILE)
  const next = `${target}.${process.pid}`
  writeFileSync(next, line('owner', owner.owner) + owner.groups.map((group) => line('group', group)).join(''), { mode: 0o644 })
  renameSync(next, target)
}

/** The owner file of `folder`, or null when it is missing or unreadable. */
export function readFolderOwner(folder: string): FolderOwner | null {
  let text: string
  try {
    text = readFileSync(path.join(folder, OWNER_FILE), 'utf8')
  } catch {
    return null
  }
  let owner: ProcessStamp | null = null
  const groups: ProcessStamp[] = []
  for (const row of text.split('\n')) {
    const [kind, pid, startTime] = row.split(' ')
    if (pid === undefined || !/^\d+$/.test(pid)) continue
    const stamp = { pid: Number(pid), startTime: startTime && startTime !== '-' ? startTime : null }
    if (kind === 'owner') owner = stamp
    else if (kind === 'group') groups.push(stamp)
  }
  return owner ? { owner, groups } : null
}
