import { describe, expect, it } from 'vitest'
import { computed } from 'vue'
import { createRealtimeState } from '../../../src/store/realtime-state'

const message = (i: number) => ({ id: `m${i}`, event: 'message', payload: { i }, receivedAt: i, self: false })

describe('realtime state', () => {
  it('keeps the last maxMessages per channel, oldest first', () => {
    const state = createRealtimeState(3)
    for (let i = 1; i <= 5; i++) state.pushMessage('chat', message(i))
    state.pushMessage('lobby', message(9))
    expect(state.messages.value['chat']?.map((m) => m.id)).toEqual(['m3', 'm4', 'm5'])
    expect(state.messages.value['lobby']?.map((m) => m.id)).toEqual(['m9'])
  })

  it('gives computeds a new array on every message', () => {
    const state = createRealtimeState(10)
    const chat = computed(() => state.messages.value['chat'] ?? [])
    const seen: number[] = []
    state.pushMessage('chat', message(1))
    seen.push(chat.value.length)
    state.pushMessage('chat', message(2))
    seen.push(chat.value.length)
    expect(seen).toEqual([1, 2])
  })

  it('publishes a channel presence view as given', () => {
    const state = createRealtimeState(10)
    const view = { count: 1, self: { key: 'ada', tracked: true, state: { name: 'Ada' } }, members: [{ key: 'ada', state: { name: 'Ada' }, metas: [{ name: 'Ada' }], connections: 1 }] }
    state.setPresence('chat', view)
    expect(state.presence.value['chat']).toBe(view)
  })

  it('removes a channel state and its presence and collections, keeping history', () => {
    const state = createRealtimeState(10)
    state.setChannel('chat', { name: 'chat', status: 'SUBSCRIBED', error: null, private: false, joinedAt: 1, dbReady: false, bindings: 0, reopens: 0, resumed: false, downtimeMs: null, lastMessageAt: null, stale: false })
    state.pushMessage('chat', message(1))
    state.setPresence('chat', { count: 1, self: { key: 'ada', tracked: false, state: null }, members: [] })
    state.applyRowChange('chat', 'tickets', { event: 'INSERT', new: { id: 1 }, old: {} }, { primaryKey: ['id'], filters: [] })
    expect(state.setChannel('chat', null)?.status).toBe('SUBSCRIBED')
    state.dropChannelData('chat')
    expect(state.channels.value).toEqual({})
    expect(state.presence.value).toEqual({})
    expect(state.collections.value).toEqual({})
    expect(state.messages.value['chat']).toHaveLength(1)
  })
})
