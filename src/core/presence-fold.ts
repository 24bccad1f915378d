import type { PresenceMember } from './types'

/** A presence meta as supabase-js reports it (`presence_ref` identifies one tracked connection). */
export type PresenceMeta = { presence_ref?: string } & Record<string, unknown>

/** What happened to one presence key between two syncs. */
export interface PresenceChange {
  event: 'join' | 'leave' | 'update'
  key: string
  /** The member now, or `null` after a leave. */
  member: PresenceMember | null
  /** The member before, or `null` for a join. */
  previous: PresenceMember | null
}

function stripRef(meta: PresenceMeta): Record<string, unknown> {
  const { presence_ref: _ref, phx_ref: _phx, phx_ref_prev: _prev, ...state } = meta
  return state
}

function buildMember(key: string, metas: Map<string, Record<string, unknown>>): PresenceMember {
  const list = [...metas.values()]
  const state: Record<string, unknown> = {}
  for (const meta of list) Object.assign(state, meta)
  return { key, state, metas: list, connections: list.length }
}

function sameMember(a: PresenceMember, b: PresenceMember): boolean {
  return a.connections === b.connections && JSON.stringify(a.metas) === JSON.stringify(b.metas)
}

/**
 * Folds supabase-js presence join/leave events into one member per key. Work per diff is
 * proportional to the keys it touches, not to the size of the channel; the member list is built
 * only when someone reads it.
 */
export class PresenceFold {
  // NOTE: removed keys are kept as `null` (tombstones) and compacted in bulk: in V8, deleting and
  // re-adding the same key of a large Map costs time proportional to the Map's size.
  #metas = new Map<string, Map<string, Record<string, unknown>> | null>()
  #members = new Map<string, PresenceMember | null>()
  #liveMembers = 0
  #deadEntries = 0
  #touched = new Set<string>()
  #cached: PresenceMember[] | null = null
  #anonymousRefs = 0

  /** Records metas that joined under `key` (from a supabase-js `join` event). */
  join(key: string, joined: readonly PresenceMeta[]): void {
    let byRef = this.#metas.get(key)
    if (!byRef) {
      byRef = new Map()
      this.#metas.set(key, byRef)
    }
    for (const meta of joined) byRef.set(meta.presence_ref ?? `anonymous-${++this.#anonymousRefs}`, stripRef(meta))
    this.#touched.add(key)
  }

  /** Records metas that left `key` (from a supabase-js `leave` event). */
  leave(key: string, left: readonly PresenceMeta[]): void {
    const byRef = this.#metas.get(key)
    if (byRef) {
      for (const meta of left) {
        if (meta.presence_ref !== undefined) byRef.delete(meta.presence_ref)
        else byRef.clear()
      }
      if (byRef.size === 0) this.#metas.set(key, null)
    }
    this.#touched.add(key)
  }

  /** Applies the events recorded since the last sync and says, per key, what changed. */
  sync(): PresenceChange[] {
    const changes: PresenceChange[] = []
    for (const key of this.#touched) {
      const previous = this.#members.get(key) ?? null
      const byRef = this.#metas.get(key)
      if (!byRef || byRef.size === 0) {
        if (previous) {
          this.#members.set(key, null)
          this.#liveMembers--
          this.#deadEntries++
          changes.push({ event: 'leave', key, member: null, previous })
        }
        continue
      }
      const member = buildMember(key, byRef)
      if (previous && sameMember(previous, member)) continue
      if (!previous) {
        if (this.#members.get(key) === null) this.#deadEntries--
        this.#liveMembers++
      }
      this.#members.set(key, member)
      changes.push({ event: previous ? 'update' : 'join', key, member, previous })
    }
    this.#touched = new Set()
    if (changes.length > 0) this.#cached = null
    if (this.#deadEntries > 1024 && this.#deadEntries > this.#liveMembers) this.#compact()
    return changes
  }

  #compact(): void {
    const members = new Map<string, PresenceMember | null>()
    for (const [key, member] of this.#members) if (member) members.set(key, member)
    const metas = new Map<string, Map<string, Record<string, unknown>> | null>()
    for (const [key, byRef] of this.#metas) if (byRef) metas.set(key, byRef)
    this.#members = members
    this.#metas = metas
    this.#deadEntries = 0
  }

  /** Number of distinct keys online. */
  get count(): number {
    return this.#liveMembers
  }

  /** One member by key. */
  get(key: string): PresenceMember | undefined {
    return this.#members.get(key) ?? undefined
  }

  /** Every member, in the order they joined. */
  list(): PresenceMember[] {
    if (!this.#cached) {
      const list: PresenceMember[] = []
      for (const member of this.#members.values()) if (member) list.push(member)
      this.#cached = Object.freeze(list) as PresenceMember[]
    }
    return this.#cached
  }
}
