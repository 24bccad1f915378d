import { channelCondition, defineTrigger } from './define-trigger'

/** On realtime broadcast: a message arrived on a subscribed channel. */
export const broadcastTrigger = defineTrigger({
  id: 'broadcast',
  label: 'On realtime broadcast',
  description: 'Runs when a message arrives on a subscribed channel. The message data is in event.payload.',
  conditions: [channelCondition, { key: 'event', label: 'Event', type: 'text', placeholder: 'All events' }],
  sampleEvent: {
    channel: 'chat',
    event: 'message',
    payload: { user: 'Ada', text: 'Hello, how can I help?', sentAt: '2026-11-23T11:00:00.000Z' },
    id: 'a1b2c3-m42',
    receivedAt: 1_795_000_000_000,
    self: false,
  },
})
