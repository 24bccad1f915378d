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
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(meta)) if (k !== 'presence_ref' && k !== 'phx_ref' && k !== 'phx_ref_prev') out[k] = meta[k]
  return out
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
  private readonly metas = new Map<string, Map<string, Record<string, unknown>>>()
  private readonly members = new Map<string, PresenceMember>()
  private touched = new Set<string>()
  private cached: PresenceMember[] | null = null
  private anonymousRefs = 0

  /** Records metas that joined under `key` (from a supabase-js `join` event). */
  join(key: string, joined: readonly PresenceMeta[]): void {
    let byRef = this.metas.get(key)
    if (!byRef) {
      byRef = new Map()
      this.metas.set(key, byRef)
    }
    for (const meta of joined) byRef.set(meta.presence_ref ?? `anonymous-${++this.anonymousRefs}`, stripRef(meta))
    this.touched.add(key)
  }

  /** Records metas that left `key` (from a supabase-js `leave` event). */
  leave(key: string, left: readonly PresenceMeta[]): void {
    const byRef = this.metas.get(key)
    if (byRef) {
      for (const meta of left) {
        if (meta.presence_ref !== undefined) byRef.delete(meta.presence_ref)
        else byRef.clear()
      }
      if (byRef.size === 0) this.metas.delete(key)
    }
    this.touched.add(key)
  }

  /** Applies the events recorded since the last sync and says, per key, what changed. */
  sync(): PresenceChange[] {
    const changes: PresenceChange[] = []
    for (const key of this.touched) {
      const previous = this.members.get(key) ?? null
      const byRef = this.metas.get(key)
      if (!byRef || byRef.size === 0) {
        if (previous) {
          this.members.delete(key)
          changes.push({ event: 'leave', key, member: null, previous })
        }
        continue
      }
      const member = buildMember(key, byRef)
      if (previous && sameMember(previous, member)) continue
      this.members.set(key, member)
      changes.push({ event: previous ? 'update' : 'join', key, member, previous })
    }
    this.touched = new Set()
    if (changes.length > 0) this.cached = null
    return changes
  }

  /** Number of distinct keys online. */
  get count(): number {
    return this.members.size
  }

  /** One member by key. */
  get(key: string): PresenceMember | undefined {
    return this.members.get(key)
  }

  /** Every member, in the order they joined. */
  list(): PresenceMember[] {
    if (!this.cached) this.cached = [...this.members.values()]
    return this.cached
  }

  /** Forgets everything (the channel is gone). */
  clear(): void {
    this.metas.clear()
    this.members.clear()
    this.touched = new Set()
    this.cached = null
  }
}
