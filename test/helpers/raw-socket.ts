import { WebSocket, type RawData } from 'ws'

/**
 * A small raw Phoenix/Realtime protocol client for tests: it speaks vsn 1.0.0 (JSON objects) and
 * vsn 2.0.0 (JSON arrays plus binary kind 3 pushes / kind 4 broadcasts) over a plain `ws` socket,
 * records every frame it receives and offers polling waits with generous timeouts.
 */

/** Protocol versions the server speaks. */
export type ProtocolVsn = '1.0.0' | '2.0.0'

/** One decoded Phoenix message, whatever its wire encoding. */
export interface PhoenixMessage {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  payload: unknown
}

/** A decoded binary kind 4 (server → client user broadcast) frame. */
export interface UserBroadcastFrame {
  topic: string
  event: string
  /** Parsed metadata JSON, or `null` when the metadata field is empty. */
  metadata: unknown
  /** `1` = JSON payload, `0` = raw bytes. */
  encoding: 0 | 1
  /** Parsed JSON when `encoding` is 1, raw bytes when 0. */
  payload: unknown
}

/** Every frame the socket received, in order. */
export interface ReceivedFrame {
  /** Receive order, starting at 0. */
  seq: number
  binary: boolean
  /** Text as received, or the bytes of a binary frame. */
  raw: string | Uint8Array
  /** Decoded Phoenix message (text frames and kind 4 frames), or `null` when undecodable. */
  message: PhoenixMessage | null
  /** For kind 4 frames, the decoded user broadcast. */
  userBroadcast: UserBroadcastFrame | null
}

/** The arguments of a kind 3 (client → server) user broadcast push. */
export interface UserBroadcastPush {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  /** JSON-serialisable payload, or raw bytes (sent with encoding 0). */
  payload: unknown
  /** Metadata object (e.g. `{ persist: true }`); omitted or empty means no metadata. */
  metadata?: Record<string, unknown>
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function field(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length > 255) throw new Error(`${name} length ${bytes.length} exceeds maximum of 255`)
  return bytes
}

/** Encode a binary kind 3 (USER_BROADCAST_PUSH) frame, byte for byte as docs/realtime-protocol.md §1.3 describes. */
export function encodeUserBroadcastPush(push: UserBroadcastPush): Uint8Array {
  const joinRef = field(encoder.encode(push.joinRef ?? ''), 'joinRef')
  const ref = field(encoder.encode(push.ref ?? ''), 'ref')
  const topic = field(encoder.encode(push.topic), 'topic')
  const event = field(encoder.encode(push.event), 'event')
  const meta = push.metadata && Object.keys(push.metadata).length > 0 ? JSON.stringify(push.metadata) : ''
  const metadata = field(encoder.encode(meta), 'metadata')
  const isBinary = push.payload instanceof Uint8Array
  const body = push.payload instanceof Uint8Array ? push.payload : encoder.encode(JSON.stringify(push.payload))
  const header = Uint8Array.of(3, joinRef.length, ref.length, topic.length, event.length, metadata.length, isBinary ? 0 : 1)
  return concatBytes([header, joinRef, ref, topic, event, metadata, body])
}

/** Encode a binary kind 4 (USER_BROADCAST) frame; used to check the decoder against captured bytes. */
export function encodeUserBroadcast(frame: Omit<UserBroadcastFrame, 'metadata'> & { metadata?: unknown }): Uint8Array {
  const topic = field(encoder.encode(frame.topic), 'topic')
  const event = field(encoder.encode(frame.event), 'event')
  const metadata = field(encoder.encode(frame.metadata === undefined || frame.metadata === null ? '' : JSON.stringify(frame.metadata)), 'metadata')
  const body = frame.encoding === 0 && frame.payload instanceof Uint8Array ? frame.payload : encoder.encode(JSON.stringify(frame.payload))
  const header = Uint8Array.of(4, topic.length, event.length, metadata.length, frame.encoding)
  return concatBytes([header, topic, event, metadata, body])
}

/** Decode a binary kind 4 frame; throws on any other kind or on a truncated frame. */
export function decodeUserBroadcast(bytes: Uint8Array): UserBroadcastFrame {
  if (bytes.length < 5) throw new Error(`binary frame of ${bytes.length} bytes is too short for kind 4`)
  if (bytes[0] !== 4) throw new Error(`binary frame kind ${String(bytes[0])} is not 4 (user broadcast)`)
  const topicLength = bytes[1] ?? 0
  const eventLength = bytes[2] ?? 0
  const metadataLength = bytes[3] ?? 0
  const encoding = bytes[4]
  if (encoding !== 0 && encoding !== 1) throw new Error(`binary frame payload encoding ${String(encoding)} is not 0 or 1`)
  let offset = 5
  const take = (length: number): Uint8Array => {
    if (offset + length > bytes.length) throw new Error('binary frame is truncated')
    const part = bytes.subarray(offset, offset + length)
    offset += length
    return part
  }
  const topic = decoder.decode(take(topicLength))
  const event = decoder.decode(take(eventLength))
  const metadataText = decoder.decode(take(metadataLength))
  const rest = bytes.slice(offset)
  return {
    topic,
    event,
    metadata: metadataText === '' ? null : (JSON.parse(metadataText) as unknown),
    encoding,
    payload: encoding === 1 ? (JSON.parse(decoder.decode(rest)) as unknown) : rest,
  }
}

/** Concatenate byte arrays. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Lower-case hex of some bytes (to compare with captured frames such as those of docs/realtime-protocol.md §1.3). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** Bytes of a hex string. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asRef(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** Decode a text frame for the given vsn, or `null` if it is not a well-formed Phoenix message. */
export function decodeText(text: string, vsn: ProtocolVsn): PhoenixMessage | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length < 5) return null
    const [joinRef, ref, topic, event, payload] = parsed as unknown[]
    if (typeof topic !== 'string' || typeof event !== 'string') return null
    return { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload }
  }
  if (!isRecord(parsed) || typeof parsed.topic !== 'string' || typeof parsed.event !== 'string') return null
  return { joinRef: asRef(parsed.join_ref), ref: asRef(parsed.ref), topic: parsed.topic, event: parsed.event, payload: parsed.payload }
}

/** Encode a message as the text frame of the given vsn. */
export function encodeText(message: PhoenixMessage, vsn: ProtocolVsn): string {
  if (vsn === '2.0.0') return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload])
  const object: Record<string, unknown> = { topic: message.topic, event: message.event, payload: message.payload, ref: message.ref }
  if (message.joinRef !== null) object.join_ref = message.joinRef
  return JSON.stringify(object)
}

/** A `phx_reply` payload. */
export interface ReplyPayload {
  status: string
  response: unknown
}

/** Read a `phx_reply` payload; throws when the message is not a reply. */
export function replyOf(message: PhoenixMessage): ReplyPayload {
  const payload = message.payload
  if (message.event !== 'phx_reply' || !isRecord(payload) || typeof payload.status !== 'string') {
    throw new Error(`expected a phx_reply, got ${message.event} ${JSON.stringify(payload)}`)
  }
  return { status: payload.status, response: payload.response }
}

/** Options of {@link RawSocket.connect}. */
export interface RawSocketOptions {
  /** @default '2.0.0' */
  vsn?: ProtocolVsn
  /** Sent as the `apikey` query parameter; omitted when `null`. */
  apikey: string | null
  /** @default '/realtime/v1/websocket' */
  path?: string
  /** Extra request headers (e.g. `x-api-key`). */
  headers?: Record<string, string>
  /** Extra query parameters. */
  params?: Record<string, string>
  /** Send no `vsn` parameter at all (the server must default to 1.0.0). @default false */
  omitVsn?: boolean
}

/** The result of an upgrade the server refused. */
export interface RefusedUpgrade {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

/** Build the websocket URL for a server base URL (`http://127.0.0.1:port`). */
export function websocketUrl(baseUrl: string, options: RawSocketOptions): string {
  const url = new URL(options.path ?? '/realtime/v1/websocket', baseUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (options.apikey !== null) url.searchParams.set('apikey', options.apikey)
  for (const [k, v] of Object.entries(options.params ?? {})) url.searchParams.set(k, v)
  if (!options.omitVsn) url.searchParams.set('vsn', options.vsn ?? '2.0.0')
  return url.toString()
}

/** Default time a wait helper polls before failing. */
export const DEFAULT_WAIT_MS = 10_000

/** A raw protocol client over one `ws` connection. */
export class RawSocket {
  readonly frames: ReceivedFrame[] = []
  /** Close code and reason once the socket has closed. */
  closed: { code: number; reason: string } | null = null
  private nextRef = 1
  private readonly listeners = new Set<() => void>()

  private constructor(
    readonly ws: WebSocket,
    readonly vsn: ProtocolVsn,
  ) {
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(data, isBinary))
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() }
      this.notify()
    })
    // NOTE: errors after open (e.g. a reset connection) surface as a close; keep them from crashing the run.
    ws.on('error', () => undefined)
  }

  /** Open a socket; rejects with the refused upgrade's status and body when the server says no. */
  static async connect(baseUrl: string, options: RawSocketOptions): Promise<RawSocket> {
    const result = await RawSocket.tryConnect(baseUrl, options)
    if (result instanceof RawSocket) return result
    throw new Error(`upgrade refused with HTTP ${result.status}: ${result.body}`)
  }

  /** Open a socket, or return the HTTP response the server answered the upgrade with. */
  static tryConnect(baseUrl: string, options: RawSocketOptions): Promise<RawSocket | RefusedUpgrade> {
    const vsn = options.vsn ?? '2.0.0'
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(websocketUrl(baseUrl, options), { headers: options.headers })
      ws.binaryType = 'nodebuffer'
      let settled = false
      const socket = new RawSocket(ws, vsn)
      ws.once('open', () => {
        settled = true
        resolve(socket)
      })
      ws.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          settled = true
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers })
          ws.terminate()
        })
      })
      ws.once('error', (error) => {
        if (!settled) reject(error)
      })
    })
  }

  /** Whether the socket is open. */
  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /** A fresh ref from this socket's counter. */
  makeRef(): string {
    return String(this.nextRef++)
  }

  /** Send a text frame exactly as given. */
  sendText(text: string): void {
    this.ws.send(text)
  }

  /** Send a binary frame exactly as given. */
  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true })
  }

  /** Encode and send one message for this socket's vsn. */
  send(message: PhoenixMessage): void {
    this.sendText(encodeText(message, this.vsn))
  }

  /** Push an event; returns the ref used. */
  push(topic: string, event: string, payload: unknown, joinRef: string | null, ref: string | null = this.makeRef()): string {
    this.send({ joinRef, ref, topic, event, payload })
    return ref ?? ''
  }

  /** Push and wait for the reply carrying the same ref. */
  async request(topic: string, event: string, payload: unknown, joinRef: string | null, timeoutMs = DEFAULT_WAIT_MS): Promise<PhoenixMessage> {
    const from = this.frames.length
    const ref = this.push(topic, event, payload, joinRef)
    return this.waitForMessage((m) => m.event === 'phx_reply' && m.ref === ref && m.topic === topic, { timeoutMs, from })
  }

  /** Join a topic; resolves with the join_ref used and the reply. */
  async join(topic: string, payload: unknown = { config: {} }, timeoutMs = DEFAULT_WAIT_MS): Promise<{ joinRef: string; reply: PhoenixMessage }> {
    const from = this.frames.length
    const joinRef = this.makeRef()
    this.push(topic, 'phx_join', payload, joinRef, joinRef)
    const reply = await this.waitForMessage((m) => m.event === 'phx_reply' && m.ref === joinRef && m.topic === topic, { timeoutMs, from })
    return { joinRef, reply }
  }

  /** Join and require an `ok` reply. */
  async joinOk(topic: string, payload: unknown = { config: {} }): Promise<string> {
    const { joinRef, reply } = await this.join(topic, payload)
    const { status, response } = replyOf(reply)
    if (status !== 'ok') throw new Error(`join ${topic} failed: ${JSON.stringify(response)}`)
    return joinRef
  }

  /** Send a heartbeat and wait for its reply. */
  heartbeat(timeoutMs = DEFAULT_WAIT_MS): Promise<PhoenixMessage> {
    return this.request('phoenix', 'heartbeat', {}, null, timeoutMs)
  }

  /** Send a binary kind 3 user broadcast push. */
  broadcastBinary(push: UserBroadcastPush): void {
    this.sendBinary(encodeUserBroadcastPush(push))
  }

  /** Messages received so far (decoded frames only), optionally from a frame index. */
  messages(from = 0): PhoenixMessage[] {
    return this.frames.slice(from).flatMap((f) => (f.message ? [f.message] : []))
  }

  /** Wait for the first decoded message matching `predicate` (searching from frame index `from`). */
  async waitForMessage(
    predicate: (message: PhoenixMessage, frame: ReceivedFrame) => boolean,
    { timeoutMs = DEFAULT_WAIT_MS, from = 0 }: { timeoutMs?: number; from?: number } = {},
  ): Promise<PhoenixMessage> {
    const frame = await this.waitForFrame((f) => f.message !== null && predicate(f.message, f), { timeoutMs, from })
    if (!frame.message) throw new Error('unreachable: matched frame has no message')
    return frame.message
  }

  /** Wait for the first frame matching `predicate`. */
  waitForFrame(
    predicate: (frame: ReceivedFrame) => boolean,
    { timeoutMs = DEFAULT_WAIT_MS, from = 0 }: { timeoutMs?: number; from?: number } = {},
  ): Promise<ReceivedFrame> {
    return new Promise((resolve, reject) => {
      let checked = from
      const check = (): boolean => {
        for (; checked < this.frames.length; checked++) {
          const frame = this.frames[checked]
          if (frame && predicate(frame)) {
            done()
            resolve(frame)
            return true
          }
        }
        if (this.closed) {
          done()
          reject(new Error(`socket closed (${this.closed.code} ${this.closed.reason}) before the expected frame; received: ${this.describe(from)}`))
          return true
        }
        return false
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${this.describe(from)}`))
      }, timeoutMs)
      const listener = (): void => {
        check()
      }
      const done = (): void => {
        clearTimeout(timer)
        this.listeners.delete(listener)
      }
      if (!check()) this.listeners.add(listener)
    })
  }

  /** Wait until the socket is closed; resolves with code and reason. */
  waitForClose(timeoutMs = DEFAULT_WAIT_MS): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        resolve(this.closed)
        return
      }
      const timer = setTimeout(() => {
        this.listeners.delete(listener)
        reject(new Error(`socket still open after ${timeoutMs} ms`))
      }, timeoutMs)
      const listener = (): void => {
        if (!this.closed) return
        clearTimeout(timer)
        this.listeners.delete(listener)
        resolve(this.closed)
      }
      this.listeners.add(listener)
    })
  }

  /** Close the socket cleanly and wait for the close. */
  async close(): Promise<void> {
    if (this.closed) return
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000)
    await this.waitForClose().catch(() => this.ws.terminate())
  }

  /** Kill the TCP connection without a close handshake (a crashed tab or lost network). */
  terminate(): void {
    this.ws.terminate()
  }

  /** A short, readable list of the frames received since `from`, for failure messages. */
  describe(from = 0): string {
    const items = this.frames.slice(from).map((f) => {
      if (f.binary) return `<binary ${toHex(f.raw instanceof Uint8Array ? f.raw : encoder.encode(f.raw)).slice(0, 80)}>`
      return typeof f.raw === 'string' ? f.raw.slice(0, 300) : ''
    })
    return items.length === 0 ? '(nothing)' : items.join(' | ')
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    const seq = this.frames.length
    if (isBinary) {
      const bytes = rawToBytes(data)
      let userBroadcast: UserBroadcastFrame | null = null
      try {
        userBroadcast = decodeUserBroadcast(bytes)
      } catch {
        userBroadcast = null
      }
      const message: PhoenixMessage | null = userBroadcast
        ? {
            joinRef: null,
            ref: null,
            topic: userBroadcast.topic,
            event: 'broadcast',
            payload: {
              type: 'broadcast',
              event: userBroadcast.event,
              payload: userBroadcast.payload,
              ...(userBroadcast.metadata === null ? {} : { meta: userBroadcast.metadata }),
            },
          }
        : null
      this.frames.push({ seq, binary: true, raw: bytes, message, userBroadcast })
    } else {
      const text = rawToBytes(data)
      const raw = decoder.decode(text)
      this.frames.push({ seq, binary: false, raw, message: decodeText(raw, this.vsn), userBroadcast: null })
    }
    this.notify()
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

function rawToBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** Read a `system` payload, or `null` if the message is not a system message. */
export function systemOf(message: PhoenixMessage): { extension: string; status: string; message: string; channel: string } | null {
  const p = message.payload
  if (message.event !== 'system' || !isRecord(p)) return null
  return {
    extension: String(p.extension),
    status: String(p.status),
    message: String(p.message),
    channel: String(p.channel),
  }
}

/** Poll `condition` every `intervalMs` until it returns true; fails with `message` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = DEFAULT_WAIT_MS, intervalMs = 10, message = 'condition' }: { timeoutMs?: number; intervalMs?: number; message?: string | (() => string) } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof message === 'function' ? message() : message}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Resolve after `ms` milliseconds (only for waiting out a period on purpose, never to sync with events). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
