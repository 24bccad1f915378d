import type { ValidationIssue } from '../src/core/validation'
import { asRecord, describe, isPlainObject, issue, optionalNumber, requireText, validateChannelName } from '../src/core/validation'
import { defineAction } from './define-action'

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

/** Validates a Broadcast input (the editor uses the same function). */
export function validateBroadcastInput(input: unknown): ValidationIssue[] {
  const v = asRecord(input)
  const issues = [...validateChannelName(v['channel']), ...requireText(v['event'], 'event', 'Event name', 'an event name, e.g. message')]
  const payload = v['payload']
  if (payload !== undefined && payload !== null && !isPlainObject(payload)) {
    issues.push(issue('payload', 'INVALID_TYPE', `The payload must be an object, but got ${describe(payload)}.`, 'Wrap the value in an object, e.g. { text: "hello" }.'))
  }
  issues.push(...optionalNumber(v['timeoutMs'], 'timeoutMs', 'Timeout', 100, 120_000))
  return issues
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
  label: 'Broadcast a message',
  description: 'Send a message to everyone on a channel. The action finishes once the server confirmed it.',
  validate: validateBroadcastInput,
  execute(input, { runtime }) {
    return runtime.broadcast(input.channel.trim(), input.event.trim(), input.payload ?? {}, input.timeoutMs ?? 10_000)
  },
})
