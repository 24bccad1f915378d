import type { ValidationIssue } from '../src/core/validation'
import { asRecord } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import { defineAction, type ActionEditor } from './define-action'
import { CHANNEL_INPUT, CHANNEL_TEXT, visibleWhen } from './shared-inputs'

/** Input of "Unsubscribe": one channel, or every channel with `all: true`. */
export interface UnsubscribeInput {
  channel?: string
  /** Leave every channel. @default false */
  all?: boolean
}

/** The inputs of "Unsubscribe", in form order (the channel is required unless `all` is on). */
export const UNSUBSCRIBE_INPUTS = {
  all: { type: 'boolean', default: false, label: 'All channels' },
  channel: CHANNEL_INPUT,
} as const satisfies CheckedInputs

/** Validates an Unsubscribe input (the editor uses the same function). */
export function validateUnsubscribeInput(input: unknown): ValidationIssue[] {
  const issues = checkInputs(UNSUBSCRIBE_INPUTS, input)
  if (asRecord(input)['all'] === true) return issues.filter((i) => i.field !== 'channel')
  return issues.map((i) => (i.code === 'REQUIRED' ? { ...i, fix: 'Enter the channel to leave, e.g. chat, or switch on "All channels".' } : i))
}

/**
 * Unsubscribe: leaves a channel (or all of them). Succeeds also when the channel was not
 * subscribed, so it is safe on page leave.
 *
 * @example
 * await plugin.execute('unsubscribe', { channel: 'chat' })
 */
export const unsubscribeFromChannel = defineAction<UnsubscribeInput, { status: 'ok' }>({
  id: 'unsubscribe',
  name: 'Realtime | Unsubscribe',
  inputs: UNSUBSCRIBE_INPUTS,
  validate: validateUnsubscribeInput,
  async execute(input, { runtime }) {
    if (input.all === true) await runtime.unsubscribeAll()
    else await runtime.unsubscribe((input.channel ?? '').trim())
    return { status: 'ok' }
  },
})

/** How the editor shows "Unsubscribe" (editor-only: the runtime never imports it). */
export const unsubscribeFromChannelEditor = {
  label: 'Unsubscribe',
  description: 'Leave a channel, or every channel. Safe to run when the channel is not subscribed.',
  fields: {
    all: { tooltip: 'Leave every channel, e.g. on sign-out.' },
    channel: /* @__PURE__ */ visibleWhen(CHANNEL_TEXT, { field: 'all', equals: [false, null] }),
  },
  sampleResult: { status: 'ok' },
} satisfies ActionEditor<typeof UNSUBSCRIBE_INPUTS>
