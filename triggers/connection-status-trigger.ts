import { defineTrigger } from './define-trigger'

/** On connection status: the socket connected, dropped or reconnected. */
export const connectionStatusTrigger = defineTrigger({
  id: 'connection-status',
  label: 'On connection status change',
  description: 'Runs when the connection to the Realtime server opens, drops (reconnecting) or closes.',
  conditions: [
    {
      key: 'status',
      label: 'Status',
      type: 'select',
      placeholder: 'All statuses',
      options: [
        { label: 'All statuses', value: null },
        { label: 'Connecting', value: 'connecting' },
        { label: 'Connected', value: 'connected' },
        { label: 'Reconnecting', value: 'reconnecting' },
        { label: 'Disconnected', value: 'disconnected' },
      ],
    },
  ],
  sampleEvent: { status: 'connected', previousStatus: 'reconnecting', reconnects: 1, latencyMs: 12.5, error: null },
})
