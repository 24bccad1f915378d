/**
 * The broadcast messages live cursors and live state travel in. Event names starting with
 * {@link RESERVED_EVENT_PREFIX} belong to the plugin: they never reach `messages` or the
 * broadcast trigger.
 */

/** Prefix of the plugin's own broadcast events. */
export const RESERVED_EVENT_PREFIX = 'plugin:'
/** The event one member's batch of live samples is sent under. */
export const LIVE_EVENT = 'plugin:live'
/** Most pointer samples one message carries (older ones are thinned out evenly). */
export const MAX_SAMPLES_PER_MESSAGE = 240

/** One pointer sample: position and how long before the send it was taken. */
export interface PointerSample {
  x: number
  y: number
  /** Milliseconds between the sample and the send (0 = at the send). */
  age: number
}

/** A cursor part of a live message; `null` means "stopped sharing". */
export interface WireCursor {
  label: string
  color: string
  samples: PointerSample[]
}

/** One live message, decoded. `undefined` parts did not change; `null` ones were cleared. */
export interface LiveMessage {
  /** The sending plugin instance (own messages are recognised by it). */
  id: string
  /** The sender's presence key. */
  key: string
  /** The sender's send interval, the receiver's playout delay. */
  intervalMs: number
  cursor?: WireCursor | null
  state?: Record<string, unknown> | null
}

const round = (n: number): number => Math.round(n * 10000) / 10000

/** The compact JSON payload of a live message (positions as a flat `[x, y, age, …]` list). */
export function encodeLiveMessage(message: LiveMessage): Record<string, unknown> {
  const payload: Record<string, unknown> = { v: 1, id: message.id, k: message.key, i: message.intervalMs }
  if (message.cursor === null) payload['c'] = null
  else if (message.cursor) {
    const flat: number[] = []
    for (const s of message.cursor.samples) flat.push(round(s.x), round(s.y), Math.max(0, Math.round(s.age)))
    payload['c'] = { l: message.cursor.label, co: message.cursor.color, p: flat }
  }
  if (message.state !== undefined) payload['s'] = message.state
  return payload
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')

/** Reads a live payload from the wire; `null` when it is not one (anyone may broadcast anything). */
export function decodeLiveMessage(payload: unknown): LiveMessage | null {
  if (!isRecord(payload) || payload['v'] !== 1) return null
  const { id, k, i, c, s } = payload
  if (typeof id !== 'string' || typeof k !== 'string' || !isNumber(i) || i < 0) return null
  const message: LiveMessage = { id, key: k, intervalMs: Math.min(i, 60_000) }
  if (c === null) message.cursor = null
  else if (isRecord(c)) {
    const flat = Array.isArray(c['p']) ? c['p'] : []
    const samples: PointerSample[] = []
    for (let n = 0; n + 2 < flat.length; n += 3) {
      const [x, y, age] = [flat[n], flat[n + 1], flat[n + 2]]
      if (isNumber(x) && isNumber(y) && isNumber(age)) samples.push({ x, y, age: Math.max(0, age) })
    }
    message.cursor = { label: textOf(c['l']), color: textOf(c['co']), samples }
  }
  if (s === null) message.state = null
  else if (isRecord(s)) message.state = s
  return message
}

/** Keeps at most `max` samples, dropping evenly among the older ones; the newest always stays. */
export function thinSamples(samples: PointerSample[], max: number = MAX_SAMPLES_PER_MESSAGE): PointerSample[] {
  if (samples.length <= max) return samples
  const out: PointerSample[] = []
  const step = (samples.length - 1) / (max - 1)
  for (let n = 0; n < max; n++) {
    const sample = samples[Math.round(n * step)]
    if (sample) out.push(sample)
  }
  return out
}
