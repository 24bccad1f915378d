import { describeErrorCode } from '../src/core/errors'
import { channelCondition, defineTrigger, selectCondition } from './define-trigger'

/** On channel status: a channel joined, failed, timed out, closed or was removed. */
export const channelStatusTrigger = defineTrigger({
  id: 'channel-status',
  label: 'On channel status change',
  description: 'Runs when a channel is SUBSCRIBED, fails (CHANNEL_ERROR), times out, is closed by the server or removed. event.error explains failures; after a rejoin, event.resumed is true with downtimeMs and lastMessageAt (refetch what came after).',
  conditions: [
    channelCondition,
    selectCondition('status', 'Status', 'All statuses', [
      ['Joining', 'JOINING'],
      ['Subscribed', 'SUBSCRIBED'],
      ['Error', 'CHANNEL_ERROR'],
      ['Timed out', 'TIMED_OUT'],
      ['Closed by the server', 'CLOSED'],
      ['Removed', 'REMOVED'],
    ]),
  ],
  sampleEvent: {
    channel: 'chat',
    status: 'CHANNEL_ERROR',
    previousStatus: 'SUBSCRIBED',
    error: {
      name: 'RealtimePluginError',
      code: 'CONNECTION_LOST',
      field: null,
      message: 'Channel "chat" lost its connection: socket closed: 1006',
      fix: describeErrorCode('CONNECTION_LOST').fix,
      details: { reason: 'socket closed: 1006', channel: 'chat', source: 'transport' },
    },
    resumed: false,
    downtimeMs: null,
    lastMessageAt: 1_795_000_000_000,
  },
})
