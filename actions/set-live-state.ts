import { DEFAULT_LIVE_INTERVAL_MS, MAX_LIVE_INTERVAL_MS, MIN_LIVE_INTERVAL_MS } from '../src/core/live/live-budget'
import type { ValidationIssue } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import { defineAction, type ActionEditor } from './define-action'
import { CHANNEL_INPUT, CHANNEL_TEXT, INTERVAL_TEXT } from './shared-inputs'

/** Input of "Set live state". */
export interface SetLiveStateInput {
  /** Channel name as the user typed it, e.g. `board`; subscribe to it first. */
  channel: string
  /** Your latest value, e.g. `{ slider: 42 }`; `null` clears it for the others. */
  state: Record<string, unknown> | null
  /** Send at most one message per this many milliseconds (widened to stay inside the budget). @default 50 */
  intervalMs?: number | null
}

/** The inputs of "Set live state", in form order. */
export const SET_LIVE_STATE_INPUTS = {
  channel: CHANNEL_INPUT,
  state: { type: 'json', required: true, default: {}, label: 'Live state', example: '{ "slider": 42 }, or null to clear it' },
  intervalMs: { type: 'number', default: DEFAULT_LIVE_INTERVAL_MS, min: MIN_LIVE_INTERVAL_MS, max: MAX_LIVE_INTERVAL_MS, label: 'Send interval (ms)' },
} as const satisfies CheckedInputs

/** Validates a Set live state input (the editor uses the same function). */
export function validateSetLiveStateInput(input: unknown): ValidationIssue[] {
  return checkInputs(SET_LIVE_STATE_INPUTS, input)
}

/**
 * Set live state: shares a small, fast-changing value (a slider, a selection, a drag) with
 * everyone on a channel. Latest wins: run it as often as you like, at most one message per
 * interval leaves, holding the latest state.
 *
 * @example
 * await plugin.execute('setLiveState', { channel: 'board', state: { slider: 42 } })
 */
export const setLiveState = defineAction<SetLiveStateInput, { status: 'ok' }>({
  id: 'setLiveState',
  name: 'Realtime | Set live state',
  inputs: SET_LIVE_STATE_INPUTS,
  validate: validateSetLiveStateInput,
  async execute(input, { runtime }) {
    return runtime.live.setLiveState(input.channel.trim(), input.state, input.intervalMs ?? undefined)
  },
})

/** How the editor shows "Set live state" (editor-only: the runtime never imports it). */
export const setLiveStateEditor = {
  label: 'Set live state',
  description:
    "Share a fast-changing value (a slider, a selection, a drag) on a channel; the others' values appear in the liveState variable. Run it on every change: the latest wins.",
  fields: {
    channel: CHANNEL_TEXT,
    state: { label: 'State', tooltip: 'Your latest value, an object, e.g. { "slider": 42 }; null clears it.' },
    intervalMs: INTERVAL_TEXT,
  },
  sampleResult: { status: 'ok' },
} satisfies ActionEditor<typeof SET_LIVE_STATE_INPUTS>
