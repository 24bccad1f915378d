import type { ValidationIssue } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import { defineAction, type ActionEditor } from './define-action'
import { CHANNEL_INPUT, CHANNEL_TEXT } from './shared-inputs'

/** Input of "Stop cursor". */
export interface StopCursorInput {
  /** Channel name as the user typed it, e.g. `board`. */
  channel: string
}

/** The inputs of "Stop cursor". */
export const STOP_CURSOR_INPUTS = {
  channel: CHANNEL_INPUT,
} as const satisfies CheckedInputs

/** Validates a Stop cursor input (the editor uses the same function). */
export function validateStopCursorInput(input: unknown): ValidationIssue[] {
  return checkInputs(STOP_CURSOR_INPUTS, input)
}

/**
 * Stop cursor: stops sharing your pointer on a channel; the others see it disappear. Succeeds
 * also when it was not shared.
 *
 * @example
 * await plugin.execute('stopCursor', { channel: 'board' })
 */
export const stopCursor = defineAction<StopCursorInput, { status: 'stopped' }>({
  id: 'stopCursor',
  name: 'Realtime | Stop cursor',
  inputs: STOP_CURSOR_INPUTS,
  validate: validateStopCursorInput,
  async execute(input, { runtime }) {
    return runtime.live.stopCursor(input.channel.trim())
  },
})

/** How the editor shows "Stop cursor" (editor-only: the runtime never imports it). */
export const stopCursorEditor = {
  label: 'Stop cursor',
  description: 'Stop sharing your pointer on a channel; the others see it disappear. Safe to run when it was not shared.',
  fields: { channel: CHANNEL_TEXT },
  sampleResult: { status: 'stopped' },
} satisfies ActionEditor<typeof STOP_CURSOR_INPUTS>
