import type { VisibleIf } from '../src/core/field-spec'
import { validateChannelName } from '../src/core/validation'
import type { CheckedInput } from './check-inputs'
import type { LabelledText } from './define-action'

/** How long an action waits for the server when "Timeout" is left empty, in milliseconds. */
export const ACTION_TIMEOUT_MS = 10_000

/** The channel name, as every action asks for it (checked by `validateChannelName`). */
export const CHANNEL_INPUT = { type: 'text', required: true, label: 'Channel', check: validateChannelName } as const satisfies CheckedInput

/** Editor text of the channel name. */
export const CHANNEL_TEXT: LabelledText = {
  tooltip: 'Any name, e.g. chat or room:42; the same in every Realtime action of this conversation.',
  placeholder: 'chat',
}

/** Editor text of an action's timeout. */
export const TIMEOUT_TEXT: LabelledText = { tooltip: 'How long to wait for the server before failing.' }

/** Editor text of the send interval of live cursors and live state. */
export const INTERVAL_TEXT: LabelledText = {
  tooltip: 'At most one message per interval (16 to 1000), widened as people join to stay under "Messages per second" (channels.<name>.liveIntervalMs).',
}

/**
 * `text`, shown only when another field has one of some values. Mark each call with a `@__PURE__`
 * annotation comment: bundlers then drop the editor text from the runtime bundle (an object
 * spread in a plain literal would keep it).
 */
export function visibleWhen(text: LabelledText, visibleIf: VisibleIf): LabelledText {
  return { ...text, visibleIf }
}
