import type { AppDefinition } from './app-definition'
import { parseAppDefinition } from './parse-app-definition'

/** The subset of `Storage` autosave needs. */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Options of {@link createAutosave}. */
export interface AutosaveOptions {
  storage: KeyValueStorage
  /** @default 'realtime-playground:app' */
  key?: string
  /** Wait this long after the last change before writing. @default 400 */
  delayMs?: number
  /** Called after each write, with the time it happened. */
  onSaved?: (at: number) => void
  /** Called when writing failed (e.g. storage full). */
  onError?: (error: unknown) => void
}

/** Debounced saving of the app definition, and loading it back. */
export interface Autosave {
  schedule(definition: AppDefinition): void
  flush(): void
  load(): AppDefinition | null
  clear(): void
  dispose(): void
}

/** Creates a debounced autosave over a key-value storage such as `localStorage`. */
export function createAutosave(options: AutosaveOptions): Autosave {
  const key = options.key ?? 'realtime-playground:app'
  const delayMs = options.delayMs ?? 400
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: AppDefinition | null = null

  const write = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (!pending) return
    const value = pending
    pending = null
    try {
      options.storage.setItem(key, JSON.stringify(value))
      options.onSaved?.(Date.now())
    } catch (error) {
      options.onError?.(error)
    }
  }

  return {
    schedule(definition) {
      pending = definition
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(write, delayMs)
    },
    flush: write,
    load() {
      const text = options.storage.getItem(key)
      if (!text) return null
      try {
        return parseAppDefinition(JSON.parse(text)).data
      } catch {
        return null
      }
    },
    clear() {
      pending = null
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      options.storage.removeItem(key)
    },
    dispose() {
      write()
    },
  }
}
