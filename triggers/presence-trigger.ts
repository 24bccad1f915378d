import { channelCondition, defineTrigger, selectCondition } from './define-trigger'

const ada = { key: 'user-ada', state: { name: 'Ada', role: 'agent', status: 'available' }, metas: [{ name: 'Ada', role: 'agent', status: 'available' }], connections: 1 }
const bob = { key: 'user-bob', state: { name: 'Bob', role: 'customer' }, metas: [{ name: 'Bob', role: 'customer' }], connections: 1 }

/** On realtime presence: someone joined, left or changed state; `sync` carries everyone online. */
export const presenceTrigger = defineTrigger({
  id: 'presence',
  label: 'On realtime presence',
  description:
    'Runs when someone joins or leaves a channel, or changes what they share (update). Sync runs after every change with the full member list in event.members.',
  conditions: [
    channelCondition,
    selectCondition('event', 'Event', 'All events', [
      ['Join', 'join'],
      ['Leave', 'leave'],
      ['Update', 'update'],
      ['Sync (everyone online)', 'sync'],
    ]),
  ],
  sampleEvent: { channel: 'chat', event: 'sync', key: null, member: null, previous: null, members: [ada, bob], count: 2 },
})
