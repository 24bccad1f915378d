/**
 * Phoenix serializers of the Realtime protocol (docs/realtime-protocol.md §1.3): vsn 1.0.0 sends JSON objects,
 * vsn 2.0.0 sends JSON arrays `[join_ref, ref, topic, event, payload]` plus binary user broadcasts
 * (kind 3 in, kind 4 out).
 */

/** Protocol versions the server speaks. */
export type Vsn = '1.0.0' | '2.0.0'

/** One Phoenix message, whatever its wire encoding. */
export interface PhoenixMessage {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  payload: unknown
}

/** A decoded binary kind 3 frame (USER_BROADCAST_PUSH, client → server). */
export interface UserBroadcastPush {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  /** Parsed metadata JSON, or `null` when the field is empty or not a JSON object. */
  metadata: Record<string, unknown> | null
  /** `true` when the payload is JSON text, `false` for raw bytes. */
  json: boolean
  /** The payload bytes as received. */
  payload: Uint8Array
}

/** A decode that failed; `reason` says why, for the log. */
export interface DecodeFailure {
  error: string
}

const decoder = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/** Phoenix's ref fields: strings, or JSON null; numbers are accepted and stringified. */
function refOf(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

/** Decode a text frame for the socket's `vsn`. */
export function decodeText(text: string, vsn: Vsn): PhoenixMessage | DecodeFailure {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { error: 'text frame is not valid JSON' }
  }
  let joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown
  if (vsn === '2.0.0') {
    if (!Array.isArray(value) || value.length < 5) return { error: 'vsn 2.0.0 text frames must be arrays [join_ref, ref, topic, event, payload]' }
    ;[joinRef, ref, topic, event, payload] = value as unknown[]
  } else {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'vsn 1.0.0 frames must be JSON objects' }
    ;({ join_ref: joinRef, ref, topic, event, payload } = value as Record<string, unknown>)
  }
  const jr = refOf(joinRef)
  const r = refOf(ref)
  if (jr === undefined || r === undefined) return { error: 'join_ref and ref must be strings or null' }
  if (typeof topic !== 'string' || typeof event !== 'string') return { error: 'topic and event must be strings' }
  return { joinRef: jr, ref: r, topic, event, payload: payload ?? {} }
}

/** Decode a binary kind 3 frame; any other kind or a truncated frame is a failure. */
export function decodeBinary(data: Uint8Array): UserBroadcastPush | DecodeFailure {
  if (data.length < 7) return { error: 'binary frame is shorter than its 7-byte header' }
  if (data[0] !== 3) return { error: `binary frame kind ${String(data[0])} is not accepted from clients (only kind 3)` }
  const [, jl, rl, tl, el, ml, enc] = data as unknown as number[] as [number, number, number, number, number, number, number]
  if (enc !== 0 && enc !== 1) return { error: `unknown payload encoding ${enc}` }
  let offset = 7
  const end = offset + jl + rl + tl + el + ml
  if (end > data.length) return { error: 'binary frame is shorter than its declared field lengths' }
  const take = (n: number): string => {
    const s = decoder.decode(data.subarray(offset, offset + n))
    offset += n
    return s
  }
  try {
    const joinRef = take(jl)
    const ref = take(rl)
    const topic = take(tl)
    const event = take(el)
    const metaText = take(ml)
    let metadata: Record<string, unknown> | null = null
    if (metaText.length > 0) {
      try {
        const parsed: unknown = JSON.parse(metaText)
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) metadata = parsed as Record<string, unknown>
      } catch {
        metadata = null
      }
    }
    return {
      joinRef: joinRef === '' ? null : joinRef,
      ref: ref === '' ? null : ref,
      topic,
      event,
      metadata,
      json: enc === 1,
      payload: data.subarray(offset),
    }
  } catch {
    return { error: 'binary frame fields are not valid UTF-8' }
  }
}

/** Encode a message as a text frame for `vsn` (vsn 1 omits a null `join_ref`, like Phoenix's V1 serializer). */
export function encodeText(msg: PhoenixMessage, vsn: Vsn): string {
  if (vsn === '2.0.0') return JSON.stringify([msg.joinRef, msg.ref, msg.topic, msg.event, msg.payload])
  const obj: Record<string, unknown> = { topic: msg.topic, event: msg.event, payload: msg.payload, ref: msg.ref }
  if (msg.joinRef !== null) obj.join_ref = msg.joinRef
  return JSON.stringify(obj)
}

/** Arguments of {@link encodeUserBroadcast}. */
export interface UserBroadcastFrame {
  topic: string
  event: string
  /** Encoded as JSON in the metadata field; `null`/omitted leaves it empty. */
  metadata?: Record<string, unknown> | null
  /** `true`: `payload` is UTF-8 JSON text; `false`: raw bytes. */
  json: boolean
  payload: Uint8Array
}

/** The longest topic, event or metadata a binary frame can carry, in bytes. */
export const MAX_BINARY_FIELD = 255

/**
 * Encode a binary kind 4 frame (USER_BROADCAST, server → client). Returns `null` when a field is
 * longer than 255 bytes and so cannot be carried by the binary layout.
 */
export function encodeUserBroadcast(frame: UserBroadcastFrame): Buffer | null {
  const topic = encoder.encode(frame.topic)
  const event = encoder.encode(frame.event)
  const meta = frame.metadata ? encoder.encode(JSON.stringify(frame.metadata)) : new Uint8Array(0)
  if (topic.length > MAX_BINARY_FIELD || event.length > MAX_BINARY_FIELD || meta.length > MAX_BINARY_FIELD) return null
  const out = Buffer.allocUnsafe(5 + topic.length + event.length + meta.length + frame.payload.length)
  out[0] = 4
  out[1] = topic.length
  out[2] = event.length
  out[3] = meta.length
  out[4] = frame.json ? 1 : 0
  let o = 5
  out.set(topic, o)
  o += topic.length
  out.set(event, o)
  o += event.length
  out.set(meta, o)
  o += meta.length
  out.set(frame.payload, o)
  return out
}

/** Encode a binary kind 3 frame (client → server); for tests and benchmarks that speak the protocol raw. */
export function encodeUserBroadcastPush(push: Omit<UserBroadcastPush, 'payload'> & { payload: Uint8Array }): Buffer {
  const fields = [push.joinRef ?? '', push.ref ?? '', push.topic, push.event, push.metadata ? JSON.stringify(push.metadata) : ''].map((s) =>
    encoder.encode(s),
  )
  const header = Buffer.from([3, ...fields.map((f) => f.length), push.json ? 1 : 0])
  return Buffer.concat([header, ...fields, push.payload])
}

/** `true` when `value` is a {@link DecodeFailure}. */
export const isDecodeFailure = (value: object): value is DecodeFailure => 'error' in value
