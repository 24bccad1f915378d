import { channelCondition, defineTrigger, selectCondition } from './define-trigger'

/** On database change: a row of a bound table was inserted, updated or deleted. */
export const postgresChangesTrigger = defineTrigger({
  id: 'postgres-changes',
  label: 'On database change',
  description: 'Runs when a row of a table bound in "Subscribe to channel" is inserted, updated or deleted; the row is in event.new (event.old for deletes).',
  conditions: [
    channelCondition,
    { key: 'table', label: 'Table', type: 'text', placeholder: 'All tables' },
    selectCondition('event', 'Event', 'All events', [
      ['Insert', 'INSERT'],
      ['Update', 'UPDATE'],
      ['Delete', 'DELETE'],
    ]),
  ],
  sampleEvent: {
    channel: 'tickets',
    schema: 'public',
    table: 'messages',
    event: 'INSERT',
    new: { id: 42, room_id: 1, body: 'My order has not arrived', created_at: '2026-11-23T11:00:00+00:00' },
    old: {},
    commitTimestamp: '2026-11-23T11:00:00.123Z',
    errors: null,
    id: 'a1b2c3-c7',
    receivedAt: 1_795_000_000_000,
  },
})
