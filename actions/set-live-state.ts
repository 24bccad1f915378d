import type { InputFields } from '../src/core/field-spec'
import { DEFAULT_LIVE_INTERVAL_MS, MAX_LIVE_INTERVAL_MS, MIN_LIVE_INTERVAL_MS } from '../src/core/live/live-budget'
import type { ValidationIssue } from '../src/core/validation'
import { asRecord, describe, isPlainObject, issue, optionalNumber, validateChannelName } from '../src/core/validation'
import { defineAction, type ActionEditor } from './define-action'
import { CHANNEL_INPUT, CHANNEL_TEXT } from './shared-inputs'

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
  state: { type: 'json', required: true, default: {} },
  intervalMs: { type: 'number', default: DEFAULT_LIVE_INTERVAL_MS, min: MIN_LIVE_INTERVAL_MS, max: MAX_LIVE_INTERVAL_MS },
} as const satisfies InputFields

/** Validates a Set live state input (the editor uses the same function). */
export function validateSetLiveStateInput(input: unknown): ValidationIssue[] {
  const v = asRecord(input)
  const issues = [...validateChannelName(v['channel'])]
  const state = v['state']
  if (state === undefined) {
    issues.push(issue('state', 'REQUIRED', 'State is required.', 'Bind it to an object such as { "slider": 42 }, or to null to clear your state.'))
  } else if (state !== null && !isPlainObject(state)) {
    issues.push(issue('state', 'INVALID_TYPE', `The live state must be an object, but got ${describe(state)}.`, 'Wrap the value in an object, e.g. { "slider": 42 }, or use null to clear it.'))
  }
  const { min, max } = SET_LIVE_STATE_INPUTS.intervalMs
  issues.push(...optionalNumber(v['intervalMs'], 'intervalMs', 'Send interval', min, max))
  return issues
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
    "Share a small value that changes fast (a slider, a selection, a drag) with everyone on a channel; the others' values appear in the liveState variable. Run it on every change: the latest value wins.",
  fields: {
    channel: CHANNEL_TEXT,
    state: { label: 'State', tooltip: 'Your latest value, as an object, e.g. { "slider": 42 }. null clears it for the others.' },
    intervalMs: {
      label: 'Send interval (ms)',
      tooltip: 'At most one message per interval (16 to 1000). The plugin widens it as people join so the room stays inside "Messages per second".',
    },
  },
  sampleResult: { status: 'ok' },
} satisfies ActionEditor<typeof SET_LIVE_STATE_INPUTS>
