import { channelCondition, defineTrigger } from './define-trigger'

/** On channel status: a channel joined, failed, timed out, closed or was removed. */
export const channelStatusTrigger = defineTrigger({
  id: 'channel-status',
  label: 'On channel status change',
  description: 'Runs when a channel becomes SUBSCRIBED, fails (CHANNEL_ERROR), times out, is closed by the server or is removed. event.error explains failures.',
  conditions: [
    channelCondition,
    {
      key: 'status',
      label: 'Status',
      type: 'select',
      placeholder: 'All statuses',
      options: [
        { label: 'All statuses', value: null },
        { label: 'Joining', value: 'JOINING' },
        { label: 'Subscribed', value: 'SUBSCRIBED' },
        { label: 'Error', value: 'CHANNEL_ERROR' },
        { label: 'Timed out', value: 'TIMED_OUT' },
        { label: 'Closed by the server', value: 'CLOSED' },
        { label: 'Removed', value: 'REMOVED' },
      ],
    },
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
      fix: 'Nothing to do: the plugin reconnects by itself. If it lasts, check the network and the project URL.',
      details: { reason: 'socket closed: 1006', channel: 'chat', source: 'transport' },
    },
  },
})
