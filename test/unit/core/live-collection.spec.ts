import { describe, expect, it } from 'vitest'
import { companionBindings } from '../../../src/core/channel-config'
import { LiveCollection } from '../../../src/core/live-collection'
import { parseFilter } from '../../../filter'
import { toChannelConfig } from '../../../actions/subscribe-to-channel'

function conditions(filter: string) {
  const parsed = parseFilter(filter)
  if (!parsed.ok) throw parsed.error
  return parsed.conditions
}

describe('LiveCollection', () => {
  it('upserts inserts and updates by primary key and removes deletes', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [] })
    c.apply({ event: 'INSERT', new: { id: 1, body: 'a' }, old: {} })
    c.apply({ event: 'INSERT', new: { id: 2, body: 'b' }, old: {} })
    c.apply({ event: 'INSERT', new: { id: 1, body: 'a' }, old: {} })
    expect(c.list()).toEqual([{ id: 1, body: 'a' }, { id: 2, body: 'b' }])
    c.apply({ event: 'UPDATE', new: { id: 1, body: 'A' }, old: { id: 1 } })
    expect(c.list()).toEqual([{ id: 1, body: 'A' }, { id: 2, body: 'b' }])
    c.apply({ event: 'DELETE', new: {}, old: { id: 2 } })
    expect(c.list()).toEqual([{ id: 1, body: 'A' }])
  })

  it('drops rows that stop matching the binding filter and ignores rows that never matched', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [conditions('room=eq.1')] })
    c.apply({ event: 'INSERT', new: { id: 1, room: 1 }, old: {} })
    c.apply({ event: 'INSERT', new: { id: 2, room: 2 }, old: {} })
    expect(c.list().map((r) => r['id'])).toEqual([1])
    expect(c.apply({ event: 'UPDATE', new: { id: 1, room: 2 }, old: { id: 1, room: 1 } })).toBe(true)
    expect(c.list()).toEqual([])
    c.apply({ event: 'UPDATE', new: { id: 2, room: 1 }, old: { id: 2, room: 2 } })
    expect(c.list()).toEqual([{ id: 2, room: 1 }])
  })

  it('admits a row matching any of several binding filters', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [conditions('room=eq.1'), conditions('status=in.(urgent,vip)')] })
    c.apply({ event: 'INSERT', new: { id: 1, room: 3, status: 'vip' }, old: {} })
    c.apply({ event: 'INSERT', new: { id: 2, room: 3, status: 'normal' }, old: {} })
    expect(c.list().map((r) => r['id'])).toEqual([1])
  })

  it('supports composite keys and a changed primary key', () => {
    const c = new LiveCollection({ primaryKey: ['org', 'id'], filters: [] })
    c.apply({ event: 'INSERT', new: { org: 'a', id: 1 }, old: {} })
    c.apply({ event: 'INSERT', new: { org: 'b', id: 1 }, old: {} })
    expect(c.size).toBe(2)
    c.apply({ event: 'UPDATE', new: { org: 'a', id: 5 }, old: { org: 'a', id: 1 } })
    expect(c.list()).toEqual([{ org: 'b', id: 1 }, { org: 'a', id: 5 }])
  })

  it('ignores rows without the primary key columns', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [] })
    expect(c.apply({ event: 'INSERT', new: { body: 'x' }, old: {} })).toBe(false)
    expect(c.size).toBe(0)
  })

  it('applies companion changes only to rows it already holds', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [conditions('room=eq.1')] })
    expect(c.applyIfKnown({ event: 'UPDATE', new: { id: 9, room: 2 }, old: { id: 9 } })).toBe(false)
    c.apply({ event: 'INSERT', new: { id: 1, room: 1 }, old: {} })
    expect(c.applyIfKnown({ event: 'UPDATE', new: { id: 1, room: 2 }, old: { id: 1 } })).toBe(true)
    expect(c.size).toBe(0)
    c.apply({ event: 'INSERT', new: { id: 3, room: 1 }, old: {} })
    expect(c.applyIfKnown({ event: 'DELETE', new: {}, old: { id: 3 } })).toBe(true)
    expect(c.size).toBe(0)
  })
})

describe('collection membership when JavaScript cannot decide', () => {
  it('keeps the server verdict: a filtered delivery admits the row, a companion-only delivery removes it', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [conditions('body=match.^a')] })
    c.apply({ event: 'INSERT', new: { id: 1, body: 'apple' }, old: {} })
    expect(c.list().map((r) => r['id'])).toEqual([1])
    expect(c.applyIfKnown({ event: 'UPDATE', new: { id: 1, body: 'pear' }, old: { id: 1 } })).toBe(true)
    expect(c.size).toBe(0)
  })

  it('still removes a row that definitely stopped matching, NULL included', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [conditions('room=not.eq.1')] })
    c.apply({ event: 'INSERT', new: { id: 1, room: 2 }, old: {} })
    expect(c.apply({ event: 'UPDATE', new: { id: 1, room: null }, old: { id: 1 } })).toBe(true)
    expect(c.size).toBe(0)
  })

  it('admits a row whose filtered column was left out by select (the server matched it)', () => {
    const c = new LiveCollection({ primaryKey: ['id'], filters: [conditions('room=eq.1')] })
    c.apply({ event: 'INSERT', new: { id: 1, body: 'x' }, old: {} })
    expect(c.size).toBe(1)
  })
})

describe('companionBindings', () => {
  it('adds unfiltered UPDATE and DELETE bindings for filtered bindings that cover them', () => {
    const config = toChannelConfig({ channel: 'c', postgresChanges: [{ event: '*', table: 'tickets', filter: 'room=eq.1' }, { event: 'INSERT', table: 'notes', filter: 'id=eq.1' }] })
    expect(companionBindings(config.postgresChanges).map((b) => [b.event, b.table, b.filter])).toEqual([
      ['UPDATE', 'tickets', ''],
      ['DELETE', 'tickets', ''],
    ])
  })

  it('adds nothing when an unfiltered binding already covers the event', () => {
    const config = toChannelConfig({ channel: 'c', postgresChanges: [{ event: 'UPDATE', table: 't', filter: 'a=eq.1' }, { event: '*', table: 't' }] })
    expect(companionBindings(config.postgresChanges)).toEqual([])
  })
})
