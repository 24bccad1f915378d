import { existsSync, readdirSync, readFileSync } from 'node:fs'

/** What `/proc/<pid>/stat` says about a process (Linux). */
interface ProcessInfo {
  /** `R`, `S`, `D`, … `Z` (exited, not yet reaped) or `X` (dead). */
  state: string
  processGroup: number
  /** Start time in clock ticks since boot: with the PID, it names one process for good. */
  startTime: string
}

const HAS_PROC = existsSync('/proc/self/stat')

function readInfo(pid: number): ProcessInfo | null {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // NOTE: the command name (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const [state, , processGroup] = fields
  const startTime = fields[19]
  if (state === undefined || processGroup === undefined || startTime === undefined) return null
  return { state, processGroup: Number(processGroup), startTime }
}

/**
 * The start time of a process (clock ticks since boot), or null when it is gone or the system
 * does not tell (no `/proc`). Stored next to a PID, it tells a later reader whether that PID still
 * names the same process.
 */
export function processStartTime(pid: number): string | null {
  return readInfo(pid)?.startTime ?? null
}

/**
 * True while process `pid` runs (an exited process waiting to be reaped does not count). With
 * `startTime`, a process that reuses the PID does not count either. A process of another user
 * that cannot be inspected counts as running.
 */
export function isProcessRunning(pid: number, startTime: string | null = null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  const info = readInfo(pid)
  if (info) return info.state !== 'Z' && info.state !== 'X' && (startTime === null || info.startTime === startTime)
  if (HAS_PROC && !existsSync(`/proc/${pid}`)) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** True while any process of process group `groupId` runs (exited ones waiting to be reaped do not count). */
export function isProcessGroupRunning(groupId: number): boolean {
  if (!Number.isInteger(groupId) || groupId <= 0) return false
  if (HAS_PROC) {
    let names: string[]
    try {
      names = readdirSync('/proc')
    } catch {
      names = []
    }
    if (names.length > 0) {
      return names.some((name) => {
        if (!/^\d+$/.test(name)) return false
        const info = readInfo(Number(name))
        return info !== null && info.processGroup === groupId && info.state !== 'Z' && info.state !== 'X'
      })
    }
  }
  try {
    process.kill(-groupId, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Sends `signal` to every process of group `groupId`, or to the process alone when it leads no group; never throws. */
export function signalProcessGroup(groupId: number, signal: NodeJS.Signals): void {
  if (!Number.isInteger(groupId) || groupId <= 0) return
  try {
    process.kill(process.platform === 'win32' ? groupId : -groupId, signal)
    return
  } catch {
    // not a group leader, or already gone
  }
  try {
    process.kill(groupId, signal)
  } catch {
    // already gone
  }
}
