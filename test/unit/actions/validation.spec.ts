import { describe, expect, it } from 'vitest'
import { validateBroadcastInput } from '../../../actions/broadcast-message'
import { validatePresenceInput } from '../../../actions/presence-state'
import { toChannelConfig, validateSubscribeInput, type SubscribeInput } from '../../../actions/subscribe-to-channel'
import { validateUnsubscribeInput } from '../../../actions/unsubscribe-from-channel'
import { validateActionInput } from '../../../editor-config/manifest'

type Case = [label: string, input: unknown, field: string, code: string]

describe('subscribe validation', () => {
  it('accepts the minimal input and a full one', () => {
    expect(validateSubscribeInput({ channel: 'chat' })).toEqual([])
    expect(
      validateSubscribeInput({
        channel: 'room:42',
        private: true,
        broadcast: { self: true, ack: false },
        presence: { enabled: true, key: 'user-1' },
        postgresChanges: [
          { event: 'INSERT', schema: 'public', table: 'messages', filter: 'room_id=eq.42', select: ['id', 'body'], primaryKey: 'id' },
          { event: 'delete', table: 'messages' },
        ],
        timeoutMs: 5000,
      }),
    ).toEqual([])
  })

  it.each<Case>([
    ['missing channel', {}, 'channel', 'REQUIRED'],
    ['blank channel', { channel: '   ' }, 'channel', 'REQUIRED'],
    ['numeric channel', { channel: 42 }, 'channel', 'INVALID_TYPE'],
    ['prefixed channel', { channel: 'realtime:chat' }, 'channel', 'INVALID_VALUE'],
    ['very long channel', { channel: 'x'.repeat(300) }, 'channel', 'OUT_OF_RANGE'],
    ['private as text', { channel: 'c', private: 'yes' }, 'private', 'INVALID_TYPE'],
    ['broadcast as text', { channel: 'c', broadcast: 'self' }, 'broadcast', 'INVALID_TYPE'],
    ['broadcast.self as number', { channel: 'c', broadcast: { self: 1 } }, 'broadcast.self', 'INVALID_TYPE'],
    ['broadcast.ack as text', { channel: 'c', broadcast: { ack: 'true' } }, 'broadcast.ack', 'INVALID_TYPE'],
    ['presence as list', { channel: 'c', presence: [] }, 'presence', 'INVALID_TYPE'],
    ['presence.enabled as text', { channel: 'c', presence: { enabled: 'on' } }, 'presence.enabled', 'INVALID_TYPE'],
    ['presence.key as number', { channel: 'c', presence: { key: 7 } }, 'presence.key', 'INVALID_TYPE'],
    ['postgresChanges as object', { channel: 'c', postgresChanges: { table: 't' } }, 'postgresChanges', 'INVALID_TYPE'],
    ['binding as text', { channel: 'c', postgresChanges: ['messages'] }, 'postgresChanges[0]', 'INVALID_TYPE'],
    ['binding without table', { channel: 'c', postgresChanges: [{ event: 'INSERT' }] }, 'postgresChanges[0].table', 'REQUIRED'],
    ['binding with unknown event', { channel: 'c', postgresChanges: [{ event: 'UPSERT', table: 't' }] }, 'postgresChanges[0].event', 'INVALID_VALUE'],
    ['binding with numeric schema', { channel: 'c', postgresChanges: [{ schema: 1, table: 't' }] }, 'postgresChanges[0].schema', 'INVALID_TYPE'],
    ['binding with unknown operator', { channel: 'c', postgresChanges: [{ table: 't', filter: 'id=equals.1' }] }, 'postgresChanges[0].filter', 'INVALID_VALUE'],
    ['binding with in without parentheses', { channel: 'c', postgresChanges: [{ table: 't', filter: 'id=in.1,2' }] }, 'postgresChanges[0].filter', 'INVALID_VALUE'],
    ['binding with empty filter part', { channel: 'c', postgresChanges: [{ table: 't', filter: 'id=eq.1,,room=eq.2' }] }, 'postgresChanges[0].filter', 'INVALID_VALUE'],
    ['binding with filter without value', { channel: 'c', postgresChanges: [{ table: 't', filter: 'id=eq' }] }, 'postgresChanges[0].filter', 'INVALID_VALUE'],
    ['binding with filter as number', { channel: 'c', postgresChanges: [{ table: 't', filter: 5 }] }, 'postgresChanges[0].filter', 'INVALID_TYPE'],
    ['binding with select as text', { channel: 'c', postgresChanges: [{ table: 't', select: 'id' }] }, 'postgresChanges[0].select', 'INVALID_TYPE'],
    ['binding with select on every table', { channel: 'c', postgresChanges: [{ table: '*', select: ['id'] }] }, 'postgresChanges[0].select', 'INVALID_VALUE'],
    ['binding with empty primary key', { channel: 'c', postgresChanges: [{ table: 't', primaryKey: [] }] }, 'postgresChanges[0].primaryKey', 'INVALID_TYPE'],
    ['duplicate bindings', { channel: 'c', postgresChanges: [{ table: 't' }, { table: 't', event: '*', schema: 'public' }] }, 'postgresChanges[1]', 'INVALID_VALUE'],
    ['timeout as text', { channel: 'c', timeoutMs: '10s' }, 'timeoutMs', 'INVALID_TYPE'],
    ['timeout too small', { channel: 'c', timeoutMs: 10 }, 'timeoutMs', 'OUT_OF_RANGE'],
  ])('reports %s', (_label, input, field, code) => {
    const issues = validateSubscribeInput(input)
    expect(issues).toContainEqual(expect.objectContaining({ field, code }))
    for (const i of issues) {
      expect(i.message.length).toBeGreaterThan(10)
      expect(i.fix.length).toBeGreaterThan(10)
    }
  })

  it('names the channel and suggests an example when the channel is missing', () => {
    expect(validateSubscribeInput({ channel: '' })).toEqual([
      { field: 'channel', code: 'REQUIRED', message: 'Channel name is required.', fix: 'Enter a channel name, e.g. chat.' },
    ])
  })

  it('treats anything that is not an object as an empty input', () => {
    expect(validateSubscribeInput(null).map((i) => i.field)).toEqual(['channel'])
    expect(validateSubscribeInput('chat').map((i) => i.field)).toEqual(['channel'])
  })

  it('applies defaults that just work', () => {
    const config = toChannelConfig({ channel: ' chat ', postgresChanges: [{ table: 'messages', filter: 'room=eq.1', event: 'insert' as never }] } satisfies SubscribeInput)
    expect(config).toMatchObject({
      name: 'chat',
      private: false,
      broadcast: { self: false, ack: true },
      presence: { enabled: true, key: '' },
      timeoutMs: 10_000,
      postgresChanges: [{ event: 'INSERT', schema: 'public', table: 'messages', filter: 'room=eq.1', select: null, primaryKey: ['id'] }],
    })
  })
})

describe('broadcast validation', () => {
  it('accepts a message with or without payload', () => {
    expect(validateBroadcastInput({ channel: 'chat', event: 'message', payload: { text: 'hi' } })).toEqual([])
    expect(validateBroadcastInput({ channel: 'chat', event: 'message' })).toEqual([])
  })

  it.each<Case>([
    ['missing channel', { event: 'e' }, 'channel', 'REQUIRED'],
    ['missing event', { channel: 'c' }, 'event', 'REQUIRED'],
    ['numeric event', { channel: 'c', event: 3 }, 'event', 'INVALID_TYPE'],
    ['text payload', { channel: 'c', event: 'e', payload: 'hello' }, 'payload', 'INVALID_TYPE'],
    ['list payload', { channel: 'c', event: 'e', payload: [1, 2] }, 'payload', 'INVALID_TYPE'],
    ['negative timeout', { channel: 'c', event: 'e', timeoutMs: -1 }, 'timeoutMs', 'OUT_OF_RANGE'],
  ])('reports %s', (_label, input, field, code) => {
    expect(validateBroadcastInput(input)).toContainEqual(expect.objectContaining({ field, code }))
  })
})

describe('presence validation', () => {
  it.each<Case>([
    ['missing channel', { action: 'get' }, 'channel', 'REQUIRED'],
    ['missing action', { channel: 'c' }, 'action', 'REQUIRED'],
    ['unknown action', { channel: 'c', action: 'join' }, 'action', 'INVALID_VALUE'],
    ['text state', { channel: 'c', action: 'track', state: 'online' }, 'state', 'INVALID_TYPE'],
    ['timeout as text', { channel: 'c', action: 'get', timeoutMs: 'soon' }, 'timeoutMs', 'INVALID_TYPE'],
  ])('reports %s', (_label, input, field, code) => {
    expect(validatePresenceInput(input)).toContainEqual(expect.objectContaining({ field, code }))
  })

  it('accepts track without a state', () => {
    expect(validatePresenceInput({ channel: 'c', action: 'track' })).toEqual([])
  })
})

describe('unsubscribe validation', () => {
  it('needs a channel unless all is on', () => {
    expect(validateUnsubscribeInput({ all: true })).toEqual([])
    expect(validateUnsubscribeInput({ channel: 'chat' })).toEqual([])
    expect(validateUnsubscribeInput({})).toContainEqual(expect.objectContaining({ field: 'channel', code: 'REQUIRED' }))
    expect(validateUnsubscribeInput({ all: 'yes', channel: 'c' })).toContainEqual(expect.objectContaining({ field: 'all', code: 'INVALID_TYPE' }))
  })
})

describe('validateActionInput', () => {
  it('routes to the action validator and reports unknown actions', () => {
    expect(validateActionInput('broadcast', { channel: 'c', event: 'e' })).toEqual([])
    expect(validateActionInput('teleport', {})).toEqual([expect.objectContaining({ field: 'actionId', code: 'INVALID_VALUE' })])
  })
})
