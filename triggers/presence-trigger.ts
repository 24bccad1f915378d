import { channelCondition, defineTrigger, selectCondition } from './define-trigger'

/** A sample member with one connection: its state is its one meta. */
const member = (key: string, state: Record<string, unknown>) => ({ key, state, metas: [state], connections: 1 })
const ada = member('user-ada', { name: 'Ada', role: 'agent', status: 'available' })
const bob = member('user-bob', { name: 'Bob', role: 'customer' })

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
