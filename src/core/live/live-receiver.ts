import { cursorColor } from './cursor-color'
import type { FrameClock } from './frame-clock'
import type { LiveMemberState, RemoteCursor } from './live-types'
import type { LiveMessage } from './live-wire'

/** A pointer that has not moved for this long is marked idle. */
export const IDLE_AFTER_MS = 3000
/** Added to the sender's interval before a sample is shown, so a batch arriving a little late still plays on time. */
export const PLAYOUT_MARGIN_MS = 10
/** A sender never seen in presence is forgotten after this long without a message. */
export const FORGET_SILENT_AFTER_MS = 60_000

interface Remote {
  key: string
  label: string
  color: string
  /** Samples waiting to be shown, oldest first, with the time to show each (ms epoch). */
  queue: Array<{ at: number; x: number; y: number }>
  /** When the last scheduled sample plays, and when it was taken (receiver clock). */
  lastAt: number
  lastSource: number
  /** The shown position, or `null` while no cursor is shared. */
  shown: { x: number; y: number } | null
  cursorOn: boolean
  updatedAt: number
  lastMessageAt: number
  idle: boolean
  state: LiveMemberState | null
  seenInPresence: boolean
}

/** Within a stroke, a sample plays between half and one and a half times its spacing after the previous one. */
const STRETCH = { min: 0.5, max: 1.5 }
/** Samples further apart than this start a new stroke (played at their own time). */
const STROKE_BREAK_MS = 500

/**
 * When a sample plays: at its time plus the playout delay, except within a stroke, where the
 * playback is stretched or compressed (within {@link STRETCH}) instead of jumping, so a change of
 * the sender's interval or a late batch never leaves a gap in the motion.
 */
function playTime(lastAt: number, step: number, desired: number): number {
  if (lastAt === -Infinity || step <= 0 || step > STROKE_BREAK_MS) return Math.max(lastAt, desired)
  return Math.min(Math.max(desired, lastAt + step * STRETCH.min), lastAt + step * STRETCH.max)
}

/** What the receiver publishes: the new lists (only those that changed). */
export interface ReceiverOutput {
  cursors(list: RemoteCursor[]): void
  states(list: LiveMemberState[]): void
}

/**
 * The other members' cursors and live states on one channel. Each batch of samples is replayed
 * with its time offsets one send interval (plus {@link PLAYOUT_MARGIN_MS}) later (the playout delay), so the motion is as smooth
 * as it was made; the lists change at most once per frame. A member leaving presence disappears;
 * a pointer still for {@link IDLE_AFTER_MS} is marked idle.
 */
export class LiveReceiver {
  readonly #remotes = new Map<string, Remote>()
  #cancelFrame: (() => void) | null = null
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #cursorsDirty = false
  #statesDirty = false
  /** The keys in presence at the last update (empty before the first). */
  #presenceKeys: ReadonlySet<string> = new Set()

  readonly #ownId: () => string
  readonly #clock: FrameClock
  readonly #output: ReceiverOutput

  constructor(ownId: () => string, clock: FrameClock, output: ReceiverOutput) {
    this.#ownId = ownId
    this.#clock = clock
    this.#output = output
  }

  /** Members (by instance id) that sent something: used to size the room when presence is off. */
  get senders(): number {
    return this.#remotes.size
  }

  /** Takes one live message in. */
  receive(message: LiveMessage, now: number = Date.now()): void {
    if (message.id === this.#ownId()) return
    let remote = this.#remotes.get(message.id)
    if (!remote) {
      remote = { key: message.key, label: '', color: cursorColor(message.key), queue: [], lastAt: -Infinity, lastSource: -Infinity, shown: null, cursorOn: false, updatedAt: now, lastMessageAt: now, idle: false, state: null, seenInPresence: this.#presenceKeys.has(message.key) }
      this.#remotes.set(message.id, remote)
    }
    remote.lastMessageAt = now
    if (message.cursor === null) {
      if (remote.cursorOn) this.#cursorsDirty = true
      remote.cursorOn = false
      remote.shown = null
      remote.queue = []
    } else if (message.cursor) {
      const label = message.cursor.label
      const color = message.cursor.color || cursorColor(message.key)
      if ((remote.label !== label || remote.color !== color) && remote.shown) this.#cursorsDirty = true
      remote.label = label
      remote.color = color
      remote.cursorOn = true
      const delay = message.intervalMs + PLAYOUT_MARGIN_MS
      for (const sample of message.cursor.samples) {
        const source = now - sample.age
        const at = playTime(remote.lastAt, source - remote.lastSource, source + delay)
        remote.queue.push({ at, x: sample.x, y: sample.y })
        remote.lastAt = at
        remote.lastSource = source
      }
    }
    if (message.state === null) {
      if (remote.state) this.#statesDirty = true
      remote.state = null
    } else if (message.state) {
      remote.state = { key: message.key, state: message.state, updatedAt: now }
      this.#statesDirty = true
    }
    if (!remote.cursorOn && !remote.state) this.#remotes.delete(message.id)
    this.#requestFrame()
  }

  /**
   * Presence changed: members whose key left are removed (only once their key was seen in
   * presence, since a sender's first message may arrive before its presence).
   */
  presence(keys: ReadonlySet<string>): void {
    this.#presenceKeys = keys
    for (const [id, remote] of this.#remotes) {
      if (keys.has(remote.key)) {
        remote.seenInPresence = true
        continue
      }
      if (!remote.seenInPresence) continue
      this.#remove(id, remote)
    }
    this.#requestFrame()
  }

  /** Forgets everyone (the channel was left). */
  clear(): void {
    this.#cancelFrame?.()
    this.#cancelFrame = null
    clearTimeout(this.#idleTimer)
    this.#remotes.clear()
  }

  /** The current lists. */
  cursors(): RemoteCursor[] {
    const list: RemoteCursor[] = []
    for (const r of this.#remotes.values()) {
      if (r.cursorOn && r.shown) list.push({ key: r.key, x: r.shown.x, y: r.shown.y, label: r.label, color: r.color, updatedAt: r.updatedAt, idle: r.idle })
    }
    return list
  }

  states(): LiveMemberState[] {
    const list: LiveMemberState[] = []
    for (const r of this.#remotes.values()) if (r.state) list.push(r.state)
    return list
  }

  #remove(id: string, remote: Remote): void {
    this.#remotes.delete(id)
    if (remote.shown) this.#cursorsDirty = true
    if (remote.state) this.#statesDirty = true
  }

  #requestFrame(): void {
    if (this.#cancelFrame) return
    this.#cancelFrame = this.#clock(() => {
      this.#cancelFrame = null
      this.#frame(Date.now())
    })
  }

  /** Shows every sample due, publishes what changed, and plans the next frame or idle check. */
  #frame(now: number): void {
    let pending = false
    for (const remote of this.#remotes.values()) {
      let due: { x: number; y: number } | null = null
      while (remote.queue.length > 0 && remote.queue[0]!.at <= now) due = remote.queue.shift()!
      if (due) {
        remote.shown = { x: due.x, y: due.y }
        remote.updatedAt = now
        remote.idle = false
        this.#cursorsDirty = true
      }
      if (remote.queue.length > 0) pending = true
    }
    this.#publish()
    if (pending) this.#requestFrame()
    else this.#planIdleCheck(now)
  }

  #publish(): void {
    if (this.#cursorsDirty) this.#output.cursors(this.cursors())
    if (this.#statesDirty) this.#output.states(this.states())
    this.#cursorsDirty = false
    this.#statesDirty = false
  }

  #planIdleCheck(now: number): void {
    let next = Infinity
    for (const r of this.#remotes.values()) {
      if (r.cursorOn && r.shown && !r.idle) next = Math.min(next, r.updatedAt + IDLE_AFTER_MS)
      if (!r.seenInPresence) next = Math.min(next, r.lastMessageAt + FORGET_SILENT_AFTER_MS)
    }
    clearTimeout(this.#idleTimer)
    if (next === Infinity) return
    this.#idleTimer = setTimeout(() => this.#idleCheck(Date.now()), Math.max(0, next - now))
  }

  #idleCheck(now: number): void {
    for (const [id, r] of this.#remotes) {
      if (!r.seenInPresence && now - r.lastMessageAt >= FORGET_SILENT_AFTER_MS) {
        this.#remove(id, r)
        continue
      }
      if (r.cursorOn && r.shown && !r.idle && now - r.updatedAt >= IDLE_AFTER_MS && r.queue.length === 0) {
        r.idle = true
        this.#cursorsDirty = true
      }
    }
    this.#publish()
    if (!this.#cancelFrame) this.#planIdleCheck(now)
  }
}
