import { describe, expect, it } from 'vitest'
import { PresenceFold } from '../../../src/core/presence-fold'

describe('PresenceFold', () => {
  it('reports joins once per key and counts keys, not connections', () => {
    const fold = new PresenceFold()
    fold.join('ada', [{ presence_ref: 'r1', name: 'Ada', tab: 1 }])
    fold.join('ada', [{ presence_ref: 'r2', name: 'Ada', tab: 2 }])
    fold.join('bob', [{ presence_ref: 'r3', name: 'Bob' }])
    const changes = fold.sync()
    expect(changes.map((c) => [c.event, c.key])).toEqual([
      ['join', 'ada'],
      ['join', 'bob'],
    ])
    expect(fold.count).toBe(2)
    expect(fold.get('ada')).toEqual({ key: 'ada', state: { name: 'Ada', tab: 2 }, metas: [{ name: 'Ada', tab: 1 }, { name: 'Ada', tab: 2 }], connections: 2 })
  })

  it('turns a state change (leave of the old meta plus join of the new) into one update', () => {
    const fold = new PresenceFold()
    fold.join('ada', [{ presence_ref: 'r1', status: 'away' }])
    fold.sync()
    fold.join('ada', [{ presence_ref: 'r2', status: 'available' }])
    fold.leave('ada', [{ presence_ref: 'r1', status: 'away' }])
    const changes = fold.sync()
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ event: 'update', key: 'ada', previous: { state: { status: 'away' } }, member: { state: { status: 'available' } } })
  })

  it('reports nothing when a rejoin brings the same state back under a new ref', () => {
    const fold = new PresenceFold()
    fold.join('ada', [{ presence_ref: 'r1', name: 'Ada' }])
    fold.sync()
    fold.leave('ada', [{ presence_ref: 'r1', name: 'Ada' }])
    fold.join('ada', [{ presence_ref: 'r9', name: 'Ada' }])
    expect(fold.sync()).toEqual([])
    expect(fold.count).toBe(1)
  })

  it('reports a leave only when the last connection of a key leaves', () => {
    const fold = new PresenceFold()
    fold.join('ada', [{ presence_ref: 'r1', tab: 1 }, { presence_ref: 'r2', tab: 2 }])
    fold.sync()
    fold.leave('ada', [{ presence_ref: 'r1', tab: 1 }])
    expect(fold.sync().map((c) => c.event)).toEqual(['update'])
    fold.leave('ada', [{ presence_ref: 'r2', tab: 2 }])
    const changes = fold.sync()
    expect(changes).toEqual([expect.objectContaining({ event: 'leave', key: 'ada', member: null })])
    expect(fold.count).toBe(0)
    expect(fold.list()).toEqual([])
  })

  it('keeps the member list in join order and rebuilds it only after a change', () => {
    const fold = new PresenceFold()
    for (const key of ['c', 'a', 'b']) fold.join(key, [{ presence_ref: key }])
    fold.sync()
    const first = fold.list()
    expect(first.map((m) => m.key)).toEqual(['c', 'a', 'b'])
    expect(fold.list()).toBe(first)
    fold.leave('a', [{ presence_ref: 'a' }])
    fold.sync()
    expect(fold.list().map((m) => m.key)).toEqual(['c', 'b'])
  })
})
