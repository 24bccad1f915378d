import { describe, expect, it } from 'vitest'
import { PresenceRegistry } from '../../server/presence-registry'

describe('PresenceRegistry', () => {
  it('tracks a meta with a unique phx_ref and reports the join', () => {
    const r = new PresenceRegistry()
    const result = r.track('t', 'alice', 1, { online: true })
    expect(result.changed).toBe(true)
    if (!result.changed) return
    const meta = result.diff.joins.alice?.metas[0]
    expect(meta).toMatchObject({ online: true, phx_ref: expect.any(String) })
    expect(meta).not.toHaveProperty('phx_ref_prev')
    expect(result.diff.leaves).toEqual({})
    expect(r.state('t')).toEqual({ alice: { metas: [meta] } })
  })

  it('treats an identical payload as a no-op, whatever the key order', () => {
    const r = new PresenceRegistry()
    r.track('t', 'alice', 1, { a: 1, b: { c: 2 } })
    expect(r.track('t', 'alice', 1, { b: { c: 2 }, a: 1 })).toEqual({ changed: false })
  })

  it('updates with the old meta in leaves and phx_ref_prev in the new meta', () => {
    const r = new PresenceRegistry()
    const first = r.track('t', 'alice', 1, { status: 'online' })
    const second = r.track('t', 'alice', 1, { status: 'away' })
    if (!first.changed || !second.changed) throw new Error('expected changes')
    const oldMeta = first.diff.joins.alice!.metas[0]!
    const newMeta = second.diff.joins.alice!.metas[0]!
    expect(second.diff.leaves).toEqual({ alice: { metas: [oldMeta] } })
    expect(newMeta).toMatchObject({ status: 'away', phx_ref_prev: oldMeta.phx_ref })
    expect(newMeta.phx_ref).not.toBe(oldMeta.phx_ref)
    expect(r.state('t').alice!.metas).toEqual([newMeta])
  })

  it('holds several metas under one key, one per owner', () => {
    const r = new PresenceRegistry()
    r.track('t', 'alice', 1, { tab: 1 })
    r.track('t', 'alice', 2, { tab: 2 })
    const metas = r.state('t').alice!.metas
    expect(metas.map((m) => m.tab)).toEqual([1, 2])
    expect(new Set(metas.map((m) => m.phx_ref)).size).toBe(2)
    r.untrack(1)
    expect(r.state('t').alice!.metas.map((m) => m.tab)).toEqual([2])
  })

  it('untracks with a leave diff and forgets empty keys and topics', () => {
    const r = new PresenceRegistry()
    r.track('t', 'bob', 7, { x: 1 })
    const removed = r.untrack(7)
    expect(removed?.topic).toBe('t')
    expect(removed?.diff.leaves.bob?.metas[0]).toMatchObject({ x: 1 })
    expect(r.state('t')).toEqual({})
    expect(r.untrack(7)).toBeNull()
    expect(r.isTracking(7)).toBe(false)
  })

  it('keeps topics apart', () => {
    const r = new PresenceRegistry()
    r.track('public|realtime:a', 'k', 1, {})
    r.track('private|realtime:a', 'k', 2, {})
    expect(Object.keys(r.state('public|realtime:a'))).toEqual(['k'])
    r.untrack(1)
    expect(r.state('public|realtime:a')).toEqual({})
    expect(Object.keys(r.state('private|realtime:a'))).toEqual(['k'])
  })
})
