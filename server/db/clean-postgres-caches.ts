import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { removeFolder } from './remove-folder'
import { parseScratchName } from './scratch-names'
import { scratchRoot } from './scratch-root'
import { sweepStaleFolders, type SweepReport } from './sweep-stale-folders'

/** Options of {@link cleanPostgresCaches}: where to look (tests point them at a temporary folder). */
export interface CleanCachesOptions {
  /** @default `/dev/shm`, else the temp folder */
  scratchRoot?: string
  /** Folders holding readable copies of the PostgreSQL binaries. @default `/var/tmp` and the temp folder */
  binaryCopyRoots?: string[]
}

const BINARY_COPY = /^realtime-postgres-[a-z0-9]+-[a-z0-9]+-.+-uid\d+(?:\.[0-9a-f]{8})?$/

/**
 * Deletes what the embedded PostgreSQL keeps between runs: the initdb templates (every version),
 * the readable copies of the binaries made when running as root, and what killed runs left behind.
 * Data folders of servers still running are kept. The next start rebuilds what it needs (about a
 * second more).
 */
export async function cleanPostgresCaches(options: CleanCachesOptions = {}): Promise<SweepReport> {
  const root = options.scratchRoot ?? scratchRoot()
  const report = await sweepStaleFolders(root, { legacyAgeMs: 0 })
  const remove = (folder: string): void => {
    try {
      removeFolder(folder)
      report.removed.push(folder)
    } catch {
      report.failed.push(folder)
    }
  }
  const list = (folder: string): string[] => {
    try {
      return readdirSync(folder)
    } catch {
      return []
    }
  }
  for (const name of list(root)) {
    if (parseScratchName(name)?.kind === 'template') remove(path.join(root, name))
  }
  for (const copyRoot of new Set(options.binaryCopyRoots ?? ['/var/tmp', tmpdir()])) {
    for (const name of list(copyRoot)) {
      if (BINARY_COPY.test(name)) remove(path.join(copyRoot, name))
    }
  }
  return report
}
