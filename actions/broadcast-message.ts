import type { ValidationIssue } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import { defineAction, type ActionEditor } from './define-action'
import { ACTION_TIMEOUT_MS, CHANNEL_INPUT, CHANNEL_TEXT, TIMEOUT_TEXT } from './shared-inputs'

/** Input of "Broadcast a message". */
export interface BroadcastInput {
  /** Channel name as the user typed it, e.g. `chat`. */
  channel: string
  /** Event name, e.g. `message`. */
  event: string
  /** The data to send. @default {} */
  payload?: Record<string, unknown> | null
  /** How long to wait for the server's confirmation, in milliseconds. @default 10000 */
  timeoutMs?: number
}

/** The inputs of "Broadcast a message", in form order: kind, default and bounds of each. */
export const BROADCAST_INPUTS = {
  channel: CHANNEL_INPUT,
  event: { type: 'text', required: true, label: 'Event name', example: 'an event name, e.g. message' },
  payload: { type: 'json', default: {}, label: 'Payload', example: '{ "text": "hello" }' },
  timeoutMs: { type: 'number', default: ACTION_TIMEOUT_MS, min: 100, max: 120_000, label: 'Timeout (ms)' },
} as const satisfies CheckedInputs

/** Validates a Broadcast input (the editor uses the same function). */
export function validateBroadcastInput(input: unknown): ValidationIssue[] {
  return checkInputs(BROADCAST_INPUTS, input)
}

/**
 * Broadcast a message: sends an event to everyone on a channel. On a subscribed channel it
 * resolves once the server confirms; on another channel it sends over HTTP.
 *
 * @example
 * await plugin.execute('broadcast', { channel: 'chat', event: 'message', payload: { text: 'hi' } })
 */
export const broadcastMessage = defineAction<BroadcastInput, { status: 'ok' }>({
  id: 'broadcast',
  name: 'Realtime | Broadcast a message',
  inputs: BROADCAST_INPUTS,
  validate: validateBroadcastInput,
  execute(input, { runtime }) {
    return runtime.broadcast(input.channel.trim(), input.event.trim(), input.payload ?? {}, input.timeoutMs ?? BROADCAST_INPUTS.timeoutMs.default)
  },
})

/** How the editor shows "Broadcast a message" (editor-only: the runtime never imports it). */
export const broadcastMessageEditor = {
  label: 'Broadcast a message',
  description: 'Send a message to everyone on a channel; finishes once the server confirmed it.',
  fields: {
    channel: CHANNEL_TEXT,
    event: { label: 'Event', tooltip: 'The kind of message, e.g. message or typing; triggers can filter on it.', placeholder: 'message' },
    payload: { tooltip: 'The data to send, an object, e.g. { "text": "hello" }.' },
    timeoutMs: TIMEOUT_TEXT,
  },
  sampleResult: { status: 'ok' },
} satisfies ActionEditor<typeof BROADCAST_INPUTS>
