import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { readFolderOwner } from '../../server/db/folder-owner'
import { isProcessGroupRunning, isProcessRunning } from '../../server/db/process-liveness'
import { scratchRoot } from '../../server/db/scratch-root'

/** What a stopped server left behind. */
export interface Leftovers {
  /** Its data folders and template work folders still in the scratch folder. */
  folders: string[]
  /** PIDs of its PostgreSQL (or initdb) processes still running. */
  processes: number[]
}

/** Watches, while a server process runs, the folders and process groups it creates. */
export interface RunWatch {
  /** Process groups seen in its owner files so far. */
  groupsSeen(): number[]
  /** Whether one of its data folders has appeared (or its postmaster, for a data folder named otherwise). */
  sawDataFolder(): boolean
  /** Stops watching and lists what is left. */
  leftovers(): Leftovers
}

function ownedFolders(root: string, pid: number): string[] {
  let names: string[]
  try {
    names = readdirSync(root)
  } catch {
    return []
  }
  return names.filter((name) => name.startsWith(`realtime-pg-${pid}-`) || name.includes(`.build-${pid}-`) || name.includes(`.old-${pid}-`)).map((name) => path.join(root, name))
}

function childPostmasters(pid: number): Array<{ pid: number; folder: string }> {
  let children: string[]
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  } catch {
    return []
  }
  const found: Array<{ pid: number; folder: string }> = []
  for (const child of children) {
    try {
      const args = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')
      const dataDir = args[args.indexOf('-D') + 1]
      if (args.includes('-D') && dataDir) found.push({ pid: Number(child), folder: path.dirname(dataDir) })
    } catch {
      // gone meanwhile
    }
  }
  return found
}

function commandLines(): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      found.push({ pid: Number(name), command: readFileSync(`/proc/${name}/cmdline`, 'utf8') })
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/**
 * Starts watching server process `pid`: every 10 ms it records the data folders and PostgreSQL
 * process groups named in their owner files, so that a stop at any moment can be checked after.
 */
export function watchRunLeftovers(pid: number): RunWatch {
  const root = scratchRoot()
  const groups = new Set<number>()
  const folders = new Set<string>()
  const look = (): void => {
    for (const folder of ownedFolders(root, pid)) {
      folders.add(folder)
      for (const group of readFolderOwner(folder)?.groups ?? []) groups.add(group.pid)
    }
    // NOTE: the postmaster's command line names its folder, whatever the folder's name.
    for (const postmaster of childPostmasters(pid)) {
      groups.add(postmaster.pid)
      folders.add(postmaster.folder)
    }
  }
  look()
  const timer = setInterval(look, 10)
  return {
    groupsSeen: () => [...groups],
    sawDataFolder: () => [...folders].some((folder) => !path.basename(folder).startsWith('realtime-pg-template-')),
    leftovers() {
      clearInterval(timer)
      const left = [...new Set([...folders, ...ownedFolders(root, pid)])].filter((folder) => existsSync(folder))
      const marks = [`realtime-pg-${pid}-`, `.build-${pid}-`]
      const processes = new Set<number>([...groups].filter((group) => isProcessGroupRunning(group)))
      for (const entry of commandLines()) {
        if (marks.some((mark) => entry.command.includes(mark)) && isProcessRunning(entry.pid)) processes.add(entry.pid)
      }
      return { folders: left, processes: [...processes] }
    },
  }
}
