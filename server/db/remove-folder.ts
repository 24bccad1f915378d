import { rmSync } from 'node:fs'

/**
 * Deletes a folder and everything in it; a missing folder is fine. Retries a few times on the errors
 * a folder still being written to gives (`ENOTEMPTY`, `EBUSY`), then throws.
 */
export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })
}
