import { isProcessGroupRunning, signalProcessGroup } from './process-liveness'

/** How long each step of {@link stopProcessGroups} and {@link stopProcessGroupsSync} waits. */
export interface StopGroupTimings {
  /** After SIGQUIT (PostgreSQL's immediate shutdown), before SIGKILL. @default 2000 */
  quitMs?: number
  /** After SIGKILL, before giving up. @default 3000 */
  killMs?: number
}

const STEP_MS = 20

function anyRunning(groupIds: readonly number[]): boolean {
  return groupIds.some((groupId) => isProcessGroupRunning(groupId))
}

async function waitUntilStopped(groupIds: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (anyRunning(groupIds)) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, STEP_MS))
  }
  return true
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))

function waitUntilStoppedSync(groupIds: readonly number[], timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs
  while (anyRunning(groupIds)) {
    if (Date.now() >= deadline) return false
    Atomics.wait(sleeper, 0, 0, STEP_MS)
  }
  return true
}

/**
 * Stops whole process groups (a postmaster with its backends, initdb with its children): SIGQUIT,
 * then SIGKILL for what still runs. Resolves true once none of their processes runs, false if some
 * still did after both waits.
 */
export async function stopProcessGroups(groupIds: readonly number[], timings: StopGroupTimings = {}): Promise<boolean> {
  if (!anyRunning(groupIds)) return true
  for (const groupId of groupIds) signalProcessGroup(groupId, 'SIGQUIT')
  if (await waitUntilStopped(groupIds, timings.quitMs ?? 2000)) return true
  for (const groupId of groupIds) signalProcessGroup(groupId, 'SIGKILL')
  return waitUntilStopped(groupIds, timings.killMs ?? 3000)
}

/**
 * {@link stopProcessGroups} without the event loop, for `process.on('exit')` and a second signal:
 * it blocks this thread while it waits.
 */
export function stopProcessGroupsSync(groupIds: readonly number[], timings: StopGroupTimings = {}): boolean {
  if (!anyRunning(groupIds)) return true
  for (const groupId of groupIds) signalProcessGroup(groupId, 'SIGQUIT')
  if (waitUntilStoppedSync(groupIds, timings.quitMs ?? 2000)) return true
  for (const groupId of groupIds) signalProcessGroup(groupId, 'SIGKILL')
  return waitUntilStoppedSync(groupIds, timings.killMs ?? 3000)
}
