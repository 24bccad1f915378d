import type { ValidationIssue } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import type { PresenceResult } from '../src/runtime/realtime-runtime'
import { defineAction, type ActionEditor } from './define-action'
import { ACTION_TIMEOUT_MS, CHANNEL_INPUT, CHANNEL_TEXT, TIMEOUT_TEXT } from './shared-inputs'

/** Input of "Presence state". */
export interface PresenceInput {
  /** Channel name as the user typed it, e.g. `chat`. */
  channel: string
  /** `track` shares your state, `untrack` removes it, `get` reads who is online. */
  action: 'track' | 'untrack' | 'get'
  /** What others see about you, e.g. `{ name: 'Ada', status: 'available' }`. @default {} */
  state?: Record<string, unknown> | null
  /** @default 10000 */
  timeoutMs?: number
}

/** The inputs of "Presence state", in form order: kind, default, choices and bounds of each. */
export const PRESENCE_INPUTS = {
  channel: CHANNEL_INPUT,
  action: { type: 'select', required: true, default: 'track', values: ['track', 'untrack', 'get'], label: 'Presence action' },
  state: { type: 'json', default: {}, label: 'Presence state', example: '{ "name": "Ada", "status": "available" }' },
  timeoutMs: { type: 'number', default: ACTION_TIMEOUT_MS, min: 100, max: 120_000, label: 'Timeout (ms)' },
} as const satisfies CheckedInputs

/** Validates a Presence input (the editor uses the same function). */
export function validatePresenceInput(input: unknown): ValidationIssue[] {
  return checkInputs(PRESENCE_INPUTS, input)
}

/**
 * Presence state: share what others see about you on a channel, stop sharing it, or read who is
 * online. Resolves the channel's members once the server confirmed.
 *
 * @example
 * const { count } = await plugin.execute('presence', { channel: 'chat', action: 'track', state: { name: 'Ada' } })
 */
export const presenceState = defineAction<PresenceInput, PresenceResult>({
  id: 'presence',
  name: 'Realtime | Presence state',
  inputs: PRESENCE_INPUTS,
  validate: validatePresenceInput,
  execute(input, { runtime }) {
    return runtime.presence(input.channel.trim(), input.action, input.state ?? null, input.timeoutMs ?? PRESENCE_INPUTS.timeoutMs.default)
  },
})

/**
 * How the editor shows "Presence state" (editor-only: the runtime never imports it). Its sample
 * result, the presence trigger's members, is joined in `editor-config/manifest.ts`.
 */
export const presenceStateEditor = {
  label: 'Presence state',
  description: 'Share your presence on a channel (track), remove it (untrack) or read who is online (get). Returns the members and count.',
  fields: {
    channel: CHANNEL_TEXT,
    action: {
      label: 'Action',
      tooltip: 'Track shares your state, Untrack removes it, Get reads who is online.',
      options: { track: 'Track (share my state)', untrack: 'Untrack (go offline)', get: 'Get (who is online)' },
    },
    state: {
      label: 'State',
      tooltip: 'What others see about you, e.g. { "name": "Ada", "status": "available" }.',
      visibleIf: { field: 'action', equals: ['track'] },
    },
    timeoutMs: TIMEOUT_TEXT,
  },
} satisfies Omit<ActionEditor<typeof PRESENCE_INPUTS>, 'sampleResult'>
