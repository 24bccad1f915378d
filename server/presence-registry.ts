import { randomBytes } from 'node:crypto'
import { stableJson } from '../filter'

/** One presence meta as sent to clients: the tracked payload plus Phoenix's refs. */
export type PresenceMeta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string }

/** `presence_state` payload: every key with its metas. */
export type PresenceState = Record<string, { metas: PresenceMeta[] }>

/** `presence_diff` payload. */
export interface PresenceDiff {
  joins: PresenceState
  leaves: PresenceState
}

interface Tracked {
  topic: string
  key: string
  meta: PresenceMeta
  /** Stable text of the tracked payload, to detect identical re-tracks. */
  fingerprint: string
}

/** Result of {@link PresenceRegistry.track}. */
export type TrackResult = { changed: false } | { changed: true; diff: PresenceDiff }

/** A unique Phoenix-style `phx_ref`. */
export function newPhxRef(): string {
  return randomBytes(12).toString('base64url')
}

/**
 * Presence of every topic. Each owner (one joined channel) tracks at most one meta under its
 * presence key; one key can hold several metas (one per channel using that key).
 */
export class PresenceRegistry {
  /** topic → key → owner → meta */
  private readonly topics = new Map<string, Map<string, Map<number, PresenceMeta>>>()
  private readonly owners = new Map<number, Tracked>()

  /** Track or update `payload` for `owner` under `key`; identical payloads are a no-op. */
  track(topic: string, key: string, owner: number, payload: Record<string, unknown>): TrackResult {
    const fingerprint = stableJson(payload)
    const previous = this.owners.get(owner)
    if (previous && previous.topic === topic && previous.key === key && previous.fingerprint === fingerprint) return { changed: false }
    const leaves: PresenceState = {}
    if (previous) {
      this.remove(owner, previous)
      leaves[previous.key] = { metas: [previous.meta] }
    }
    const meta: PresenceMeta = { ...payload, phx_ref: newPhxRef() }
    if (previous && previous.key === key) meta.phx_ref_prev = previous.meta.phx_ref
    else delete meta.phx_ref_prev
    this.owners.set(owner, { topic, key, meta, fingerprint })
    let keys = this.topics.get(topic)
    if (!keys) this.topics.set(topic, (keys = new Map()))
    let metas = keys.get(key)
    if (!metas) keys.set(key, (metas = new Map()))
    metas.set(owner, meta)
    return { changed: true, diff: { joins: { [key]: { metas: [meta] } }, leaves } }
  }

  /** Remove what `owner` tracks; returns the diff, or `null` when it tracked nothing. */
  untrack(owner: number): { topic: string; diff: PresenceDiff } | null {
    const previous = this.owners.get(owner)
    if (!previous) return null
    this.remove(owner, previous)
    return { topic: previous.topic, diff: { joins: {}, leaves: { [previous.key]: { metas: [previous.meta] } } } }
  }

  /** Whether `owner` currently tracks a meta. */
  isTracking(owner: number): boolean {
    return this.owners.has(owner)
  }

  /** The full presence of `topic`. */
  state(topic: string): PresenceState {
    const out: PresenceState = {}
    for (const [key, metas] of this.topics.get(topic) ?? []) out[key] = { metas: [...metas.values()] }
    return out
  }

  private remove(owner: number, tracked: Tracked): void {
    this.owners.delete(owner)
    const keys = this.topics.get(tracked.topic)
    const metas = keys?.get(tracked.key)
    if (!keys || !metas) return
    metas.delete(owner)
    if (metas.size === 0) keys.delete(tracked.key)
    if (keys.size === 0) this.topics.delete(tracked.topic)
  }
}
