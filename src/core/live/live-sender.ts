import { thinSamples, type LiveMessage, type PointerSample } from './live-wire'

/** Two pointer samples closer than this are merged (the later position wins). */
const MIN_SAMPLE_SPACING_MS = 8

/** Who sends, and how a message leaves. */
export interface LiveSenderLink {
  /** This instance's id and its presence key on the channel. */
  identity(): { id: string; key: string }
  /** Pushes the message without acknowledgement; `false` when the channel cannot send right now (it is dropped). */
  send(message: LiveMessage): boolean
}

interface TimedSample {
  x: number
  y: number
  at: number
}

/**
 * Latest-wins coalescing for one channel: pointer samples and the live state are held until the
 * next send slot, then go out as one message holding every sample since the last one (with its
 * age). At most one message per interval; nothing is sent when nothing changed; samples of a
 * message that could not be sent are dropped, never queued behind an outage.
 */
export class LiveSender {
  #intervalMs: number
  #cursor: { label: string; color: string } | null = null
  #cursorChanged = false
  #cursorStopped = false
  #samples: TimedSample[] = []
  #last: { x: number; y: number } | null = null
  #state: Record<string, unknown> | null = null
  #stateChanged = false
  #lastSentAt = -Infinity
  #timer: ReturnType<typeof setTimeout> | undefined

  readonly #link: LiveSenderLink

  constructor(link: LiveSenderLink, intervalMs: number) {
    this.#link = link
    this.#intervalMs = intervalMs
  }

  /** Whether a cursor or a live state is being shared. */
  get active(): boolean {
    return this.#cursor !== null || this.#state !== null
  }

  /** Changes the interval; a send already planned keeps its time. */
  setInterval(ms: number): void {
    this.#intervalMs = ms
  }

  /** Starts (or updates the label and colour of) the shared cursor. */
  shareCursor(label: string, color: string): void {
    const changed = !this.#cursor || this.#cursor.label !== label || this.#cursor.color !== color
    this.#cursor = { label, color }
    this.#cursorStopped = false
    if (changed && this.#last) {
      this.#cursorChanged = true
      this.#schedule()
    }
  }

  /** Stops sharing the cursor and tells the others once. */
  stopCursor(): void {
    if (!this.#cursor) return
    this.#cursor = null
    this.#samples = []
    this.#last = null
    this.#cursorChanged = false
    this.#cursorStopped = true
    this.#schedule()
  }

  /** A pointer position (0..1) at time `at` (ms epoch). */
  move(x: number, y: number, at: number = Date.now()): void {
    if (!this.#cursor) return
    this.#last = { x, y }
    const previous = this.#samples[this.#samples.length - 1]
    if (previous && at - previous.at < MIN_SAMPLE_SPACING_MS) {
      previous.x = x
      previous.y = y
    } else {
      this.#samples.push({ x, y, at })
    }
    this.#schedule()
  }

  /** Shares the latest state (`null` clears it for the others). */
  setState(state: Record<string, unknown> | null): void {
    if (state === null && this.#state === null && !this.#stateChanged) return
    this.#state = state
    this.#stateChanged = true
    this.#schedule()
  }

  /** Sends the current cursor position and state once more (a member joined, or the channel joined again). */
  resendAll(): void {
    if (this.#cursor && this.#last) this.#cursorChanged = true
    if (this.#state) this.#stateChanged = true
    if (this.#cursorChanged || this.#stateChanged) this.#schedule()
  }

  /** Stops the timer; nothing more is sent. */
  dispose(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#cursor = null
    this.#state = null
    this.#samples = []
  }

  #schedule(): void {
    if (this.#timer) return
    const wait = Math.max(0, this.#lastSentAt + this.#intervalMs - Date.now())
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#flush()
    }, wait)
  }

  #flush(): void {
    const now = Date.now()
    const { id, key } = this.#link.identity()
    const message: LiveMessage = { id, key, intervalMs: this.#intervalMs }
    let any = false
    if (this.#cursorStopped) {
      message.cursor = null
      this.#cursorStopped = false
      any = true
    } else if (this.#cursor && (this.#samples.length > 0 || this.#cursorChanged)) {
      const samples: PointerSample[] =
        this.#samples.length > 0 ? this.#samples.map((s) => ({ x: s.x, y: s.y, age: now - s.at })) : this.#last ? [{ ...this.#last, age: 0 }] : []
      this.#samples = []
      this.#cursorChanged = false
      if (samples.length > 0) {
        message.cursor = { ...this.#cursor, samples: thinSamples(samples) }
        any = true
      }
    }
    const stateSent = this.#stateChanged
    if (this.#stateChanged) {
      message.state = this.#state
      this.#stateChanged = false
      any = true
    }
    if (!any) return
    this.#lastSentAt = now
    // NOTE: a state not delivered goes out again with the next message (it is still the latest);
    // pointer samples are dropped instead, so nobody replays stale motion after an outage.
    if (!this.#link.send(message) && stateSent) this.#stateChanged = true
  }
}
