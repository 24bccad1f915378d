import { spawn } from 'node:child_process'
import { OWNER_FILE } from './folder-owner'
import { removeFolder } from './remove-folder'
import { stopProcessGroupsSync } from './stop-process-groups'

/** A folder deleted when this process ends, however it ends, unless released first. */
export interface GuardedFolder {
  /** Deletes the folder now and stops guarding it. Throws if it could not be deleted. */
  release(): void
  /** Stops guarding the folder and leaves it in place (it was renamed into its final place). */
  keep(): void
}

const folders = new Map<string, number | null>()
const groups = new Set<number>()
let hooksInstalled = false
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Run by a tiny detached shell, for when this Node process dies without running any handler
 * (SIGKILL, out of memory): once it is gone, stop the process groups the folder's owner file
 * lists (SIGQUIT, then SIGKILL after 5 s), and only then delete the folder.
 */
const WATCHDOG = `
while kill -0 "$PARENT_PID" 2>/dev/null; do sleep 1; done
groups=$(sed -n 's/^group \\([0-9][0-9]*\\) .*/\\1/p' "$FOLDER/$OWNER_FILE" 2>/dev/null)
for pid in $groups; do kill -s QUIT -- "-$pid" 2>/dev/null || kill -s QUIT "$pid" 2>/dev/null; done
i=0
while [ "$i" -lt 50 ]; do
  alive=
  for pid in $groups; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && break
  sleep 0.1
  i=$((i+1))
done
for pid in $groups; do kill -s KILL -- "-$pid" 2>/dev/null; done
[ -n "$groups" ] && sleep 0.2
rm -rf "$FOLDER"
`

function startWatchdog(folder: string): number | null {
  if (process.platform === 'win32') return null
  try {
    const child = spawn('sh', ['-c', WATCHDOG], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PARENT_PID: String(process.pid), FOLDER: folder, OWNER_FILE },
    })
    child.on('error', () => undefined)
    child.unref()
    return child.pid ?? null
  } catch {
    return null
  }
}

function killWatchdog(pid: number | null | undefined): void {
  if (pid === null || pid === undefined) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/**
 * Stops every guarded process group (SIGQUIT, then SIGKILL) and waits until none of their processes
 * runs, then deletes every guarded folder. Synchronous, for `process.on('exit')` and for a second
 * Ctrl-C: it blocks for at most about 5 s.
 */
function stopAllNow(): void {
  stopProcessGroupsSync([...groups])
  groups.clear()
  for (const [folder, watchdog] of folders) {
    try {
      removeFolder(folder)
    } catch {
      // NOTE: the watchdog, or the next start's sweep, deletes it.
      continue
    }
    killWatchdog(watchdog)
  }
  folders.clear()
}

function installHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.once('exit', stopAllNow)
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      // NOTE: a program with its own handler (the CLI) stops the server, and with it PostgreSQL, itself.
      if (process.listenerCount(signal) > 1) return
      stopAllNow()
      process.removeListener(signal, onSignal)
      process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
}

/**
 * What this process must not leave behind: the embedded PostgreSQL's folders and process groups.
 * On exit (normal, `process.exit`, or a signal without a handler of the program) every guarded
 * group is stopped and every guarded folder deleted; a detached watchdog does the same when the
 * process is killed outright.
 */
export const exitGuard = {
  /** Guards `folder` (its owner file, when there is one, lists the groups the watchdog stops). */
  folder(folder: string): GuardedFolder {
    installHooks()
    folders.set(folder, startWatchdog(folder))
    const forget = (): void => {
      killWatchdog(folders.get(folder))
      folders.delete(folder)
    }
    return {
      release() {
        if (!folders.has(folder)) return
        removeFolder(folder)
        forget()
      },
      keep: forget,
    }
  },

  /** Guards the process group led by `pid` (a child spawned `detached`); returns the function that stops guarding it. */
  processGroup(pid: number): () => void {
    installHooks()
    groups.add(pid)
    return () => {
      groups.delete(pid)
    }
  },

  /** Stops every guarded process group and deletes every guarded folder, now (synchronous). */
  stopAllNow,
}
