import type { FieldTexts, InputFields } from '../src/core/field-spec'
import { asRecord, describe, isBlank, issue, optionalNumber, type ValidationIssue } from '../src/core/validation'

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
  key: { type: 'text', required: true },
  maxMessages: { type: 'number', default: 200, min: 1, max: 10_000 },
  heartbeatIntervalMs: { type: 'number', default: 5000, min: 100, max: 60_000 },
  maxMessagesPerSecond: { type: 'number', default: 100, min: 10, max: 1_000_000 },
} as const satisfies InputFields

/** How the editor shows the settings (editor-only: the runtime never imports it). */
export const SETTINGS_TEXT: FieldTexts<typeof SETTINGS_INPUTS> = {
  url: { label: 'Project URL', tooltip: 'From Supabase: Project Settings → API, e.g. https://xyz.supabase.co.', placeholder: 'https://xyz.supabase.co', bindable: false },
  key: { label: 'Public (anon) key', tooltip: 'From Supabase: Project Settings → API. Never the service role key.', bindable: false },
  maxMessages: { label: 'Messages kept per channel', tooltip: 'How many messages and database changes the variables keep per channel.', bindable: false },
  heartbeatIntervalMs: {
    label: 'Connection check interval (ms)',
    tooltip: 'How often the connection is checked; a link silent for two intervals is reported lost and reconnected. Lower finds dead links faster.',
    bindable: false,
  },
  maxMessagesPerSecond: {
    label: 'Messages per second',
    tooltip:
      "Your Supabase plan's Realtime limit (Free 100, Pro 500, Team 2,500). Live cursors and live state send less often as people join so the whole room stays under it, with room left for chat.",
    bindable: false,
  },
}

/** Validates the plugin settings (the editor uses the same function). */
export function validateSettings(settings: unknown): ValidationIssue[] {
  const v = asRecord(settings)
  const issues: ValidationIssue[] = []
  const url = v['url']
  if (isBlank(url)) {
    issues.push(issue('url', 'REQUIRED', 'Project URL is required.', 'Copy the project URL from Supabase (Project Settings → API), e.g. https://xyz.supabase.co.'))
  } else if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(url.trim())) {
    issues.push(issue('url', 'INVALID_VALUE', `Project URL must start with https:// (or http:// for a local server), but got ${describe(url)}.`, 'Copy the project URL from Supabase, e.g. https://xyz.supabase.co, or http://127.0.0.1:54321 for a local server.'))
  }
  const key = v['key']
  if (isBlank(key)) {
    issues.push(issue('key', 'REQUIRED', 'Public key is required.', 'Copy the anon (public) key from Supabase (Project Settings → API). Never use the service role key in an app.'))
  } else if (typeof key !== 'string') {
    issues.push(issue('key', 'INVALID_TYPE', `Public key must be text, but got ${describe(key)}.`, 'Paste the anon (public) key as text.'))
  }
  const { min, max } = SETTINGS_INPUTS.maxMessages
  issues.push(...optionalNumber(v['maxMessages'], 'maxMessages', 'Messages kept per channel', min, max))
  const heartbeat = SETTINGS_INPUTS.heartbeatIntervalMs
  issues.push(...optionalNumber(v['heartbeatIntervalMs'], 'heartbeatIntervalMs', 'Connection check interval', heartbeat.min, heartbeat.max))
  const budget = SETTINGS_INPUTS.maxMessagesPerSecond
  issues.push(...optionalNumber(v['maxMessagesPerSecond'], 'maxMessagesPerSecond', 'Messages per second', budget.min, budget.max))
  return issues
}
