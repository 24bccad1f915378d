import { accessSync, constants } from 'node:fs'
import { tmpdir } from 'node:os'

/**
 * Where data folders and templates go: RAM (`/dev/shm`) when there is one, since every run starts
 * fresh and a disk under load makes cold starts several times slower; else the temp folder.
 */
export function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK)
    return '/dev/shm'
  } catch {
    return tmpdir()
  }
}
