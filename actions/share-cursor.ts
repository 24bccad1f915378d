import { DEFAULT_LIVE_INTERVAL_MS, MAX_LIVE_INTERVAL_MS, MIN_LIVE_INTERVAL_MS } from '../src/core/live/live-budget'
import type { ValidationIssue } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import { defineAction, type ActionEditor } from './define-action'
import { CHANNEL_INPUT, CHANNEL_TEXT, INTERVAL_TEXT } from './shared-inputs'

/** Input of "Share cursor". */
export interface ShareCursorInput {
  /** Channel name as the user typed it, e.g. `board`; subscribe to it first. */
  channel: string
  /** CSS selector of the shared area, e.g. `#board`. @default the whole page */
  area?: string | null
  /** The name shown next to your pointer. @default '' */
  label?: string | null
  /** A CSS colour. @default a stable colour of your presence key */
  color?: string | null
  /** Send at most one message per this many milliseconds (widened to stay inside the budget). @default 50 */
  intervalMs?: number | null
}

/** The inputs of "Share cursor", in form order. */
export const SHARE_CURSOR_INPUTS = {
  channel: CHANNEL_INPUT,
  area: { type: 'text', default: '', label: 'Area', example: 'a CSS selector such as #board' },
  label: { type: 'text', default: '', label: 'Label', example: 'a name such as Ada' },
  color: { type: 'text', default: '', label: 'Colour', example: 'a CSS colour such as #e11d48' },
  intervalMs: { type: 'number', default: DEFAULT_LIVE_INTERVAL_MS, min: MIN_LIVE_INTERVAL_MS, max: MAX_LIVE_INTERVAL_MS, label: 'Send interval (ms)' },
} as const satisfies CheckedInputs

/** Validates a Share cursor input (the editor uses the same function). */
export function validateShareCursorInput(input: unknown): ValidationIssue[] {
  return checkInputs(SHARE_CURSOR_INPUTS, input)
}

/**
 * Share cursor: shows your pointer to everyone on a channel, with your name and colour, until
 * Stop cursor. Run it again to change the label, colour, area or interval.
 *
 * @example
 * await plugin.execute('shareCursor', { channel: 'board', area: '#board', label: 'Ada' })
 */
export const shareCursor = defineAction<ShareCursorInput, { status: 'sharing'; intervalMs: number }>({
  id: 'shareCursor',
  name: 'Realtime | Share cursor',
  inputs: SHARE_CURSOR_INPUTS,
  validate: validateShareCursorInput,
  async execute(input, { runtime }) {
    return runtime.live.shareCursor(input.channel.trim(), {
      area: input.area ?? undefined,
      label: input.label ?? undefined,
      color: input.color ?? undefined,
      intervalMs: input.intervalMs ?? undefined,
    })
  },
})

/** How the editor shows "Share cursor" (editor-only: the runtime never imports it). */
export const shareCursorEditor = {
  label: 'Share cursor',
  description:
    "Show your pointer, name and colour to everyone on a channel; theirs appear in the cursors variable. Subscribe first (Presence on).",
  fields: {
    channel: CHANNEL_TEXT,
    area: {
      tooltip: 'CSS selector of the shared element, e.g. #board; empty: the whole page. Positions go 0..1 across it, the same spot on every screen.',
      placeholder: '#board',
    },
    label: { tooltip: 'Shown next to your pointer, e.g. the user name.', placeholder: 'Ada' },
    color: { tooltip: 'A CSS colour, e.g. #e11d48. Empty: a stable colour per member.', placeholder: '#e11d48' },
    intervalMs: INTERVAL_TEXT,
  },
  sampleResult: { status: 'sharing', intervalMs: 75 },
} satisfies ActionEditor<typeof SHARE_CURSOR_INPUTS>
