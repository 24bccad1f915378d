import { describe, expect, it } from 'vitest'
import { MESSAGE_ID_KEY, SeenIds, newMessageId, splitMessageId, withMessageId } from '../../../src/core/message-ids'

describe('message ids', () => {
  it('adds the id to a copy of the payload and takes it out again on receipt', () => {
    const payload = { text: 'hi' }
    const id = newMessageId()
    const sent = withMessageId(payload, id)
    expect(payload).toEqual({ text: 'hi' })
    expect(sent[MESSAGE_ID_KEY]).toBe(id)
    expect(splitMessageId(sent)).toEqual({ id, payload: { text: 'hi' } })
  })

  it('leaves payloads without a plugin id as they are', () => {
    const payload = { text: 'hi', id: 'from-the-database' }
    expect(splitMessageId(payload)).toEqual({ id: null, payload })
    expect(splitMessageId('text')).toEqual({ id: null, payload: 'text' })
    expect(splitMessageId([1])).toEqual({ id: null, payload: [1] })
    expect(splitMessageId({ [MESSAGE_ID_KEY]: 5 })).toEqual({ id: null, payload: { [MESSAGE_ID_KEY]: 5 } })
  })

  it('gives different ids', () => {
    expect(new Set(Array.from({ length: 100 }, () => newMessageId())).size).toBe(100)
  })

  it('remembers the last ids and reports a duplicate, forgetting the oldest beyond its capacity', () => {
    const seen = new SeenIds(3)
    expect(['a', 'b', 'a', 'c', 'd'].map((id) => seen.add(id))).toEqual([true, true, false, true, true])
    expect(seen.has('a')).toBe(false)
    expect(seen.has('d')).toBe(true)
  })
})
