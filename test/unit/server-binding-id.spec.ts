import { describe, expect, it } from 'vitest'
import { bindingId } from '../../server/binding-id'

describe('bindingId', () => {
  it('is a 27-bit non-negative integer', () => {
    for (const table of ['a', 'messages', 'todos', 'x'.repeat(200)]) {
      const id = bindingId({ event: '*', schema: 'public', table })
      expect(Number.isInteger(id)).toBe(true)
      expect(id).toBeGreaterThanOrEqual(0)
      expect(id).toBeLessThan(2 ** 27)
    }
  })

  it('gives identical bindings identical ids, whatever the key order', () => {
    const a = bindingId({ event: 'INSERT', schema: 'public', table: 'messages', filter: 'room_id=eq.1' })
    const b = bindingId({ filter: 'room_id=eq.1', table: 'messages', schema: 'public', event: 'INSERT' })
    expect(a).toBe(b)
  })

  it('gives different bindings different ids', () => {
    const ids = new Set(
      ['INSERT', 'UPDATE', 'DELETE', '*'].flatMap((event) =>
        ['messages', 'todos', 'rooms'].map((table) => bindingId({ event, schema: 'public', table, filter: `id=eq.${table.length}` })),
      ),
    )
    expect(ids.size).toBe(12)
  })

  it('takes extra keys such as select into account', () => {
    expect(bindingId({ event: '*', schema: 'public', table: 't', select: ['id'] })).not.toBe(bindingId({ event: '*', schema: 'public', table: 't' }))
  })
})
