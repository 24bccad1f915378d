import type { PluginManifest, ValidationIssue } from '../../editor-config/manifest-types'

/** Where the plugin connects: any Supabase project, or the local server. */
export interface ConnectionSettings {
  url: string
  key: string
}

/** A trigger the plugin emitted through the host adapter. */
export interface EmittedTrigger {
  triggerId: string
  event: unknown
  conditions: Record<string, unknown>
  at: number
}

/** What the playground needs from one plugin instance. */
export interface PluginSession {
  readonly manifest: PluginManifest
  /** The plugin variables, read reactively (inside a computed, the caller re-runs on change). */
  readVariables(): Record<string, unknown>
  execute(actionId: string, input: Record<string, unknown>): Promise<unknown>
  validate(actionId: string, input: Record<string, unknown>): ValidationIssue[]
  dispose(): Promise<void>
}

/** Creates a plugin session for some settings; triggers arrive through `onTrigger`. */
export type PluginSessionFactory = (settings: ConnectionSettings, onTrigger: (trigger: EmittedTrigger) => void) => PluginSession
