/**
 * Counters behind the server limits: a sliding-window rate counter (joins and messages per second)
 * and a per-channel call window (presence calls per 30 s).
 */

const BUCKETS = 10

/** Counts events over a sliding window of `windowMs`, split in 10 buckets. */
export class RateCounter {
  private readonly counts = new Float64Array(BUCKETS)
  private readonly bucketMs: number
  private current = 0
  private currentStart = 0

  constructor(readonly windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS)
  }

  private roll(now: number): void {
    const index = Math.floor(now / this.bucketMs)
    if (index === this.current) return
    const steps = Math.min(BUCKETS, Math.max(0, index - this.current))
    for (let i = 1; i <= steps; i++) this.counts[(this.current + i) % BUCKETS] = 0
    this.current = index
    this.currentStart = index * this.bucketMs
  }

  /** Record `n` events at `now`. */
  add(n = 1, now: number = Date.now()): void {
    this.roll(now)
    this.counts[this.current % BUCKETS]! += n
  }

  /** Events in the last window. */
  total(now: number = Date.now()): number {
    this.roll(now)
    let sum = 0
    for (let i = 0; i < BUCKETS; i++) sum += this.counts[i]!
    return sum
  }

  /** `true` when more than `perSecond` events per second on average fell in the window. */
  exceeds(perSecond: number, now: number = Date.now()): boolean {
    return this.total(now) > this.budget(perSecond)
  }

  /** How many events per window `perSecond` allows. */
  budget(perSecond: number): number {
    return (perSecond * this.windowMs) / 1000
  }

  /** Start of the current bucket (for tests). */
  get bucketStart(): number {
    return this.currentStart
  }
}

/** At most `maxCalls` calls per `windowMs`; `tryCall` records a call when allowed. */
export class CallWindow {
  private calls: number[] = []

  constructor(
    private readonly maxCalls: number,
    private readonly windowMs: number,
  ) {}

  /** Record a call at `now` and return `true`, or return `false` when the window is full. */
  tryCall(now: number = Date.now()): boolean {
    const since = now - this.windowMs
    this.calls = this.calls.filter((t) => t > since)
    if (this.calls.length >= this.maxCalls) return false
    this.calls.push(now)
    return true
  }
}
