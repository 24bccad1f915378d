import { describe, expect, it } from 'vitest'
import {
  decodeBinary,
  decodeText,
  encodeText,
  encodeUserBroadcast,
  encodeUserBroadcastPush,
  isDecodeFailure,
  type UserBroadcastPush,
} from '../../server/serializer'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const bytesOf = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'))
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8')

function push(h: string): UserBroadcastPush {
  const decoded = decodeBinary(bytesOf(h))
  if (isDecodeFailure(decoded)) throw new Error(decoded.error)
  return decoded
}

describe('serializer', () => {
  describe('binary kind 3 (client → server), captured frames of docs/realtime-protocol.md §1.3', () => {
    it('decodes a JSON broadcast push', () => {
      const p = push('0301010e06000136377265616c74696d653a726f6f6d31637572736f727b2278223a312c2279223a327d')
      expect(p).toMatchObject({ joinRef: '6', ref: '7', topic: 'realtime:room1', event: 'cursor', metadata: null, json: true })
      expect(JSON.parse(text(p.payload))).toEqual({ x: 1, y: 2 })
    })

    it('decodes a binary payload push', () => {
      const p = push('0301010e03000036387265616c74696d653a726f6f6d3162696e010203')
      expect(p).toMatchObject({ joinRef: '6', ref: '8', topic: 'realtime:room1', event: 'bin', json: false })
      expect([...p.payload]).toEqual([1, 2, 3])
    })

    it('decodes the persist metadata of a private push', () => {
      const p = push('0301011202100136377265616c74696d653a707269763a726f6f6d65317b2270657273697374223a747275657d7b2261223a317d')
      expect(p).toMatchObject({ topic: 'realtime:priv:room', event: 'e1', metadata: { persist: true }, json: true })
      expect(text(p.payload)).toBe('{"a":1}')
    })

    it('round-trips through encodeUserBroadcastPush byte for byte', () => {
      const captured = '0301010e06000136377265616c74696d653a726f6f6d31637572736f727b2278223a312c2279223a327d'
      const p = push(captured)
      expect(hex(encodeUserBroadcastPush(p))).toBe(captured)
    })

    it.each([
      ['an empty frame', ''],
      ['a short header', '030101'],
      ['kind 4 from a client', '040e0600017265616c74696d653a726f6f6d31637572736f727b2278223a31307d'],
      ['an unknown payload encoding', '03010101010002616263646566'],
      ['field lengths past the end', '03ffffffff0001'],
      ['invalid UTF-8 in the topic', '0300000100000180'],
    ])('refuses %s', (_name, h) => {
      expect(isDecodeFailure(decodeBinary(bytesOf(h)))).toBe(true)
    })
  })

  describe('binary kind 4 (server → client)', () => {
    it('encodes the captured frame of docs/realtime-protocol.md §1.3 byte for byte', () => {
      const frame = encodeUserBroadcast({ topic: 'realtime:room1', event: 'cursor', json: true, payload: new TextEncoder().encode('{"x":10}') })
      expect(frame && hex(frame)).toBe('040e0600017265616c74696d653a726f6f6d31637572736f727b2278223a31307d')
    })

    it('carries metadata and raw bytes', () => {
      const frame = encodeUserBroadcast({ topic: 'realtime:r', event: 'e', metadata: { id: 'x' }, json: false, payload: Uint8Array.of(9, 8) })
      expect(frame && hex(frame)).toBe(`04${'0a'}01${'0a'}00${Buffer.from('realtime:re{"id":"x"}').toString('hex')}0908`)
    })

    it('returns null when a field does not fit in 255 bytes', () => {
      expect(encodeUserBroadcast({ topic: `realtime:${'x'.repeat(300)}`, event: 'e', json: true, payload: new Uint8Array(0) })).toBeNull()
    })
  })

  describe('text frames', () => {
    it('decodes vsn 2.0.0 arrays', () => {
      expect(decodeText('[null,"12","phoenix","heartbeat",{}]', '2.0.0')).toEqual({ joinRef: null, ref: '12', topic: 'phoenix', event: 'heartbeat', payload: {} })
    })

    it('decodes vsn 1.0.0 objects', () => {
      expect(decodeText('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"12"}', '1.0.0')).toEqual({
        joinRef: null,
        ref: '12',
        topic: 'phoenix',
        event: 'heartbeat',
        payload: {},
      })
    })

    it.each([
      ['not JSON', '{', '2.0.0'],
      ['a short array', '[null,"1","phoenix","heartbeat"]', '2.0.0'],
      ['an object on vsn 2', '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}', '2.0.0'],
      ['an array on vsn 1', '[null,"1","phoenix","heartbeat",{}]', '1.0.0'],
      ['a numeric topic', '[null,"1",5,"heartbeat",{}]', '2.0.0'],
      ['an object ref', '[null,{},"phoenix","heartbeat",{}]', '2.0.0'],
    ] as const)('refuses %s', (_name, frame, vsn) => {
      expect(isDecodeFailure(decodeText(frame, vsn))).toBe(true)
    })

    it('encodes replies as the reference captures them', () => {
      const reply = { joinRef: null, ref: '12', topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } }
      expect(encodeText(reply, '2.0.0')).toBe('[null,"12","phoenix","phx_reply",{"status":"ok","response":{}}]')
      expect(encodeText(reply, '1.0.0')).toBe('{"topic":"phoenix","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"12"}')
      expect(encodeText({ ...reply, joinRef: '6', ref: '6', topic: 'realtime:room1' }, '1.0.0')).toBe(
        '{"topic":"realtime:room1","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"6","join_ref":"6"}',
      )
    })
  })
})
