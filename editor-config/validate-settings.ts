import { checkInputs, type CheckedInputs } from '../actions/check-inputs'
import type { FieldTexts } from '../src/core/field-spec'
import { asRecord, describe, isBlank, issue, type ValidationIssue } from '../src/core/validation'

/** Plugin settings as the editor stores them. */
export interface PluginSettings {
  /** Supabase project URL, e.g. `https://xyz.supabase.co`. */
  url: string
  /** Public (anon) key, or a publishable key. */
  key: string
  /** Messages kept per channel in the `messages` variable. @default 200 */
  maxMessages?: number
  /** How often the connection is checked, in milliseconds; a link silent for two intervals is treated as lost. @default 5000 */
  heartbeatIntervalMs?: number
  /** The room's messages-per-second budget live cursors and state stay under (Supabase Free 100, Pro 500). @default 100 */
  maxMessagesPerSecond?: number
}

/** The plugin settings, in form order: kind, default and bounds of each. */
export const SETTINGS_INPUTS = {
  url: { type: 'text', required: true },
  key: { type: 'text', required: true, label: 'Public key', example: 'the anon (public) key (Supabase: Project Settings → API), never the service role key' },
  maxMessages: { type: 'number', default: 200, min: 1, max: 10_000, label: 'Messages kept per channel' },
  heartbeatIntervalMs: { type: 'number', default: 5000, min: 100, max: 60_000, label: 'Connection check interval' },
  maxMessagesPerSecond: { type: 'number', default: 100, min: 10, max: 1_000_000, label: 'Messages per second' },
} as const satisfies CheckedInputs

/** How the editor shows the settings (editor-only: the runtime never imports it); no setting is bindable. */
export const SETTINGS_TEXT: FieldTexts<typeof SETTINGS_INPUTS> = {
  url: { label: 'Project URL', tooltip: 'From Supabase: Project Settings → API, e.g. https://xyz.supabase.co.', placeholder: 'https://xyz.supabase.co' },
  key: { label: 'Public (anon) key', tooltip: 'From Supabase: Project Settings → API. Never the service role key.' },
  maxMessages: { label: 'Messages kept per channel', tooltip: 'Messages and database changes the variables keep per channel.' },
  heartbeatIntervalMs: {
    label: 'Connection check interval (ms)',
    tooltip: 'How often the connection is checked; silent for two intervals means lost, and it reconnects.',
  },
  maxMessagesPerSecond: {
    label: 'Messages per second',
    tooltip:
      "Your plan's Realtime limit (Free 100, Pro 500, Team 2,500). Live cursors and state send less often as people join, keeping the room under it with room for chat.",
  },
}

/** Validates the plugin settings (the editor uses the same function). */
export function validateSettings(settings: unknown): ValidationIssue[] {
  const url = asRecord(settings)['url']
  const issues = checkInputs(SETTINGS_INPUTS, settings)
  const fix = 'Enter the project URL (Supabase: Project Settings → API), e.g. https://xyz.supabase.co, or http://127.0.0.1:54321 for a local server.'
  if (isBlank(url)) issues.unshift(issue('url', 'REQUIRED', 'Project URL is required.', fix))
  else if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(url.trim())) {
    issues.unshift(issue('url', 'INVALID_VALUE', `Project URL must start with https:// (or http:// for a local server), but got ${describe(url)}.`, fix))
  }
  return issues
}
