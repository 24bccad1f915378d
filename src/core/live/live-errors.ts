import { RealtimePluginError } from '../errors'
import { invalidInput } from '../errors'
import { issue } from '../validation'

/**
 * The errors of live cursors and live state, worded once here; call sites pass the facts
 * (channel, selector, interval).
 */
export const liveErrors = {
  notSubscribed(channel: string, action: string): RealtimePluginError {
    return new RealtimePluginError('CHANNEL_NOT_SUBSCRIBED', {
      field: 'channel',
      message: `Channel "${channel}" is not subscribed, so ${action} cannot start.`,
      fix: `Run "Subscribe to channel" with the channel name "${channel}" (Presence on, so cursors disappear when people leave) before this action.`,
      details: { channel },
    })
  },

  noWindow(): RealtimePluginError {
    return new RealtimePluginError('POINTER_UNAVAILABLE', { field: 'window' })
  },

  areaNotFound(selector: string, reason: 'not-found' | 'invalid-selector'): RealtimePluginError {
    return invalidInput([
      reason === 'not-found'
        ? issue(
            'area',
            'INVALID_VALUE',
            `No element on the page matches the area "${selector}".`,
            'Give the shared area an id or class in the editor and enter it here, e.g. #board or .canvas; leave Area empty to share the pointer over the whole page.',
          )
        : issue(
            'area',
            'INVALID_VALUE',
            `The area "${selector}" is not a valid CSS selector.`,
            'Enter a CSS selector such as #board or .canvas, or leave Area empty to share the pointer over the whole page.',
          ),
    ])
  },

  rateLimited(channel: string, intervalMs: number, maxMessagesPerSecond: number): RealtimePluginError {
    return new RealtimePluginError('RATE_LIMITED', {
      field: 'maxMessagesPerSecond',
      message: `The server closed channel "${channel}": too many messages per second. Live cursors and state now send every ${intervalMs} ms.`,
      fix: `Set "Messages per second" in the plugin settings to your Supabase plan's limit (Free 100, Pro 500; now ${maxMessagesPerSecond}) and keep other traffic on the project low. Nothing else to do: the plugin rejoins the channel by itself and chat and presence come back.`,
      details: { channel, intervalMs, maxMessagesPerSecond },
    })
  },
}
