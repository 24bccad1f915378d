/**
 * Type-level checks (compiled by `tsc --noEmit`, never run): action inputs and results, trigger
 * payloads and the host adapter refuse what the runtime would refuse.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { defineAction } from '../../actions/define-action'
import type { BroadcastInput } from '../../actions/broadcast-message'
import type { ActionInputs, HostAdapter, PresenceMember, PresenceTriggerEvent, RealtimePlugin, TriggerPayloads } from '../../src/index'
import { TRIGGERS } from '../../triggers/trigger-list'

/** Each check is a function that type-checks but is never called. */
const checks: Record<string, (plugin: RealtimePlugin, host: HostAdapter) => void> = {
  'action results follow the action id': (plugin) => {
    expectTypeOf(plugin.execute('subscribe', { channel: 'chat' })).resolves.toEqualTypeOf<{ channel: string; status: 'SUBSCRIBED' }>()
    expectTypeOf(plugin.execute('broadcast', { channel: 'chat', event: 'message' })).resolves.toEqualTypeOf<{ status: 'ok' }>()
    expectTypeOf(plugin.execute('presence', { channel: 'chat', action: 'get' })).resolves.toEqualTypeOf<{ members: PresenceMember[]; count: number }>()
    expectTypeOf<ActionInputs['presence']['action']>().toEqualTypeOf<'track' | 'untrack' | 'get'>()
  },
  'inputs need their required fields': () => {
    // @ts-expect-error: a broadcast needs an event
    const input: BroadcastInput = { channel: 'chat' }
    void input
    defineAction<BroadcastInput, { status: 'ok' }>({
      id: 'broadcast',
      name: 'x',
      inputs: {},
      validate: () => [],
      // @ts-expect-error: the result must match the declared output
      execute: async () => ({ status: 'error' }),
    })
  },
  'trigger payloads are typed by id': (_plugin, host) => {
    expectTypeOf<TriggerPayloads['presence']>().toEqualTypeOf<PresenceTriggerEvent>()
    expectTypeOf(TRIGGERS.broadcast.sampleEvent).toEqualTypeOf<TriggerPayloads['broadcast']>()
    // @ts-expect-error: a broadcast event is not a presence event
    host.emitTrigger('presence', TRIGGERS.broadcast.sampleEvent, { channel: 'chat', event: 'sync' })
    // @ts-expect-error: conditions are typed per trigger as well
    host.emitTrigger('broadcast', TRIGGERS.broadcast.sampleEvent, { channel: 'chat', table: 'x' })
  },
  'variables are read-only': (plugin) => {
    // @ts-expect-error: variables cannot be reassigned
    plugin.variables.messages = {}
    const list = plugin.variables.messages['chat'] ?? []
    // @ts-expect-error: their lists cannot be changed from outside
    list.push({ id: 'x', event: 'e', payload: null, receivedAt: 0, self: false })
    expectTypeOf(plugin.variables.connection.status).toEqualTypeOf<'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected'>()
  },
}

describe('types', () => {
  it('are checked by the compiler', () => {
    expect(Object.keys(checks)).toHaveLength(4)
  })
})
