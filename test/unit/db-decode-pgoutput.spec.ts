import { describe, expect, it } from 'vitest'
import { UNCHANGED_TOAST, decodePgoutput, formatLsn } from '../../server/db/decode-pgoutput'

/** Builds pgoutput messages byte by byte, as PostgreSQL sends them. */
class Writer {
  private readonly parts: Buffer[] = []
  byte(value: number | string): this {
    this.parts.push(Buffer.from([typeof value === 'string' ? value.charCodeAt(0) : value]))
    return this
  }
  int16(value: number): this {
    const b = Buffer.alloc(2)
    b.writeInt16BE(value)
    this.parts.push(b)
    return this
  }
  int32(value: number): this {
    const b = Buffer.alloc(4)
    if (value < 0) b.writeInt32BE(value)
    else b.writeUInt32BE(value)
    this.parts.push(b)
    return this
  }
  int64(value: bigint): this {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(value)
    this.parts.push(b)
    return this
  }
  cstring(value: string): this {
    this.parts.push(Buffer.from(`${value}\0`, 'utf8'))
    return this
  }
  tuple(values: Array<string | null | 'u!'>): this {
    this.int16(values.length)
    for (const value of values) {
      if (value === null) this.byte('n')
      else if (value === 'u!') this.byte('u')
      else {
        const text = Buffer.from(value, 'utf8')
        this.byte('t').int32(text.length)
        this.parts.push(text)
      }
    }
    return this
  }
  build(): Buffer {
    return Buffer.concat(this.parts)
  }
}

describe('decodePgoutput', () => {
  it('decodes begin with the commit time on the Unix epoch', () => {
    // 2000-01-01 + 1 s, in microseconds since the PostgreSQL epoch.
    const message = decodePgoutput(new Writer().byte('B').int64(0x1_0000_0010n).int64(1_000_000n).int32(42).build())
    expect(message).toEqual({ tag: 'begin', finalLsn: 0x1_0000_0010n, commitTimeMicros: 946_684_801_000_000n, xid: 42 })
  })

  it('decodes commit', () => {
    const message = decodePgoutput(new Writer().byte('C').byte(0).int64(10n).int64(20n).int64(0n).build())
    expect(message).toEqual({ tag: 'commit', commitLsn: 10n, endLsn: 20n, commitTimeMicros: 946_684_800_000_000n })
  })

  it('decodes a relation with its key columns', () => {
    const buffer = new Writer()
      .byte('R').int32(16384).cstring('public').cstring('todos').byte('d').int16(2)
      .byte(1).cstring('id').int32(20).int32(-1)
      .byte(0).cstring('task').int32(25).int32(-1)
      .build()
    expect(decodePgoutput(buffer)).toEqual({
      tag: 'relation',
      relation: {
        oid: 16384, schema: 'public', table: 'todos', replicaIdentity: 'd',
        columns: [{ name: 'id', typeOid: 20, isKey: true }, { name: 'task', typeOid: 25, isKey: false }],
      },
    })
  })

  it('decodes insert with text, NULL and UTF-8 values', () => {
    const buffer = new Writer().byte('I').int32(16384).byte('N').tuple(['1', null, 'héllo ✓']).build()
    expect(decodePgoutput(buffer)).toEqual({ tag: 'insert', relationOid: 16384, newTuple: ['1', null, 'héllo ✓'] })
  })

  it('decodes update with an old row and unchanged TOAST values', () => {
    const buffer = new Writer().byte('U').int32(7).byte('O').tuple(['1', 'old']).byte('N').tuple(['1', 'u!']).build()
    expect(decodePgoutput(buffer)).toEqual({
      tag: 'update', relationOid: 7, oldKind: 'O', oldTuple: ['1', 'old'], newTuple: ['1', UNCHANGED_TOAST],
    })
  })

  it('decodes update without old values', () => {
    const buffer = new Writer().byte('U').int32(7).byte('N').tuple(['1', 'new']).build()
    expect(decodePgoutput(buffer)).toEqual({ tag: 'update', relationOid: 7, oldKind: null, oldTuple: null, newTuple: ['1', 'new'] })
  })

  it('decodes delete with the key tuple', () => {
    const buffer = new Writer().byte('D').int32(7).byte('K').tuple(['5', null]).build()
    expect(decodePgoutput(buffer)).toEqual({ tag: 'delete', relationOid: 7, oldKind: 'K', oldTuple: ['5', null] })
  })

  it('passes other messages through by code', () => {
    expect(decodePgoutput(new Writer().byte('Y').build())).toEqual({ tag: 'other', code: 'Y' })
  })
})

describe('formatLsn', () => {
  it('prints the two 32-bit halves in hex', () => {
    expect(formatLsn(0x16_b374_d848n)).toBe('16/B374D848')
  })
})
