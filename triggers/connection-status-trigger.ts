import { defineTrigger, selectCondition } from './define-trigger'

/** On connection status: the socket connected, dropped or reconnected. */
export const connectionStatusTrigger = defineTrigger({
  id: 'connection-status',
  label: 'On connection status change',
  description: 'Runs when the connection to the Realtime server opens, drops (reconnecting) or closes.',
  conditions: [
    selectCondition('status', 'Status', 'All statuses', [
      ['Connecting', 'connecting'],
      ['Connected', 'connected'],
      ['Reconnecting', 'reconnecting'],
      ['Disconnected', 'disconnected'],
    ]),
  ],
  sampleEvent: { status: 'connected', previousStatus: 'reconnecting', reconnects: 1, latencyMs: 12.5, error: null },
})
