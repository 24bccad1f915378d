import { encodeText, encodeUserBroadcast, type Vsn } from './serializer'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * One broadcast on its way to subscribers. A `json` broadcast (vsn 1 sender, REST batch, JSON
 * replay) goes out as a JSON `broadcast` frame to everyone; a `user` broadcast (vsn 2 binary push,
 * REST single endpoint, database) goes out as binary kind 4 to vsn 2 sockets and as JSON text to
 * vsn 1 sockets (docs/realtime-protocol.md §3.3).
 */
export type OutboundBroadcast =
  | {
      kind: 'json'
      /** Full topic, `realtime:<name>`. */
      topic: string
      event: string
      /** The whole payload of the `broadcast` frame: `{type, event, payload, meta?, ...}`. */
      frame: Record<string, unknown>
      id?: string
    }
  | {
      kind: 'user'
      topic: string
      event: string
      /** `true`: `payload` is UTF-8 JSON text. */
      json: boolean
      payload: Uint8Array
      metadata: Record<string, unknown> | null
      id?: string
    }

/** Build a `user` broadcast from a JSON value. */
export function userBroadcastFromJson(topic: string, event: string, value: unknown, metadata: Record<string, unknown> | null = null, id?: string): OutboundBroadcast {
  return { kind: 'user', topic, event, json: true, payload: encoder.encode(JSON.stringify(value ?? null)), metadata, ...(id ? { id } : {}) }
}

/** Byte size of a broadcast's user payload, for the payload-size limit. */
export function broadcastSize(b: OutboundBroadcast): number {
  if (b.kind === 'user') return b.payload.length
  return Buffer.byteLength(JSON.stringify(b.frame.payload ?? null) ?? '')
}

/** Encodes a broadcast lazily, once per wire format, whatever the number of receivers. */
export class BroadcastFrames {
  private text1?: string | null
  private text2?: string | null
  private binary?: Buffer | null

  constructor(readonly broadcast: OutboundBroadcast) {}

  /** The frame for a socket speaking `vsn`, or `null` when it cannot be carried (binary payload to vsn 1). */
  for(vsn: Vsn, joinRef: string | null = null): string | Buffer | null {
    if (joinRef !== null) return this.encodeTextFor(vsn, joinRef)
    if (vsn === '2.0.0' && this.broadcast.kind === 'user') {
      if (this.binary === undefined) this.binary = encodeUserBroadcast(this.broadcast)
      if (this.binary) return this.binary
    }
    if (vsn === '2.0.0') return this.text2 === undefined ? (this.text2 = this.encodeTextFor(vsn, null)) : this.text2
    return this.text1 === undefined ? (this.text1 = this.encodeTextFor(vsn, null)) : this.text1
  }

  /** The JSON `broadcast` payload object, or `null` for a binary payload. */
  framePayload(): Record<string, unknown> | null {
    const b = this.broadcast
    if (b.kind === 'json') return b.frame
    if (!b.json) return null
    let payload: unknown
    try {
      payload = JSON.parse(decoder.decode(b.payload))
    } catch {
      return null
    }
    const frame: Record<string, unknown> = { type: 'broadcast', event: b.event, payload }
    if (b.metadata) frame.meta = b.metadata
    return frame
  }

  private encodeTextFor(vsn: Vsn, joinRef: string | null): string | null {
    const payload = this.framePayload()
    if (!payload) return null
    return encodeText({ joinRef, ref: null, topic: this.broadcast.topic, event: 'broadcast', payload }, vsn)
  }
}
