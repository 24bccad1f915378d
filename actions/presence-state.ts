import type { ValidationIssue } from '../src/core/validation'
import { asRecord, describe, isBlank, isPlainObject, issue, optionalNumber, validateChannelName } from '../src/core/validation'
import type { PresenceResult } from '../src/runtime/realtime-runtime'
import { defineAction } from './define-action'

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

const ACTIONS = ['track', 'untrack', 'get'] as const

/** Validates a Presence input (the editor uses the same function). */
export function validatePresenceInput(input: unknown): ValidationIssue[] {
  const v = asRecord(input)
  const issues = [...validateChannelName(v['channel'])]
  const action = v['action']
  if (isBlank(action)) {
    issues.push(issue('action', 'REQUIRED', 'Presence action is required.', 'Pick Track (share my state), Untrack (go offline) or Get (read who is online).'))
  } else if (typeof action !== 'string' || !ACTIONS.includes(action as PresenceInput['action'])) {
    issues.push(issue('action', 'INVALID_VALUE', `Presence action must be track, untrack or get, but got ${describe(action)}.`, 'Pick Track, Untrack or Get.'))
  }
  const state = v['state']
  if (state !== undefined && state !== null && !isPlainObject(state)) {
    issues.push(issue('state', 'INVALID_TYPE', `The presence state must be an object, but got ${describe(state)}.`, 'Use an object such as { name: "Ada", status: "available" }.'))
  }
  issues.push(...optionalNumber(v['timeoutMs'], 'timeoutMs', 'Timeout', 100, 120_000))
  return issues
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
  label: 'Presence state',
  description: 'Share your presence on a channel (track), remove it (untrack) or read who is online (get). Returns the members and their count.',
  validate: validatePresenceInput,
  execute(input, { runtime }) {
    return runtime.presence(input.channel.trim(), input.action, input.state ?? null, input.timeoutMs ?? 10_000)
  },
})
