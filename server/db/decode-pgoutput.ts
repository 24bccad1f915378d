/** Marks a TOASTed value that an UPDATE left unchanged (pgoutput sends no data for it). */
export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged-toast')

/** One column value of a tuple: text form, SQL NULL, or unchanged TOAST. */
export type TupleValue = string | null | typeof UNCHANGED_TOAST

export interface RelationColumn {
  name: string
  typeOid: number
  /** Part of the replica identity (the primary key by default, every column with FULL). */
  isKey: boolean
}

export interface RelationInfo {
  oid: number
  schema: string
  table: string
  /** `d` default, `n` nothing, `f` full, `i` index. */
  replicaIdentity: string
  columns: RelationColumn[]
}

/** A decoded pgoutput (protocol version 1) message; LSNs are 64-bit positions. */
export type PgoutputMessage =
  | { tag: 'begin'; finalLsn: bigint; commitTimeMicros: bigint; xid: number }
  | { tag: 'commit'; commitLsn: bigint; endLsn: bigint; commitTimeMicros: bigint }
  | { tag: 'relation'; relation: RelationInfo }
  | { tag: 'insert'; relationOid: number; newTuple: TupleValue[] }
  | { tag: 'update'; relationOid: number; oldKind: 'K' | 'O' | null; oldTuple: TupleValue[] | null; newTuple: TupleValue[] }
  | { tag: 'delete'; relationOid: number; oldKind: 'K' | 'O'; oldTuple: TupleValue[] }
  | { tag: 'other'; code: string }

// NOTE: PostgreSQL timestamps count microseconds from 2000-01-01; convert to the Unix epoch.
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n

class Reader {
  offset = 0
  constructor(private readonly buffer: Buffer) {}
  uint8(): number {
    return this.buffer.readUInt8(this.offset++)
  }
  int16(): number {
    const value = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return value
  }
  int32(): number {
    const value = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return value
  }
  uint32(): number {
    const value = this.buffer.readUInt32BE(this.offset)
    this.offset += 4
    return value
  }
  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return value
  }
  uint64(): bigint {
    const value = this.buffer.readBigUInt64BE(this.offset)
    this.offset += 8
    return value
  }
  cstring(): string {
    const end = this.buffer.indexOf(0, this.offset)
    const value = this.buffer.toString('utf8', this.offset, end)
    this.offset = end + 1
    return value
  }
  text(length: number): string {
    const value = this.buffer.toString('utf8', this.offset, this.offset + length)
    this.offset += length
    return value
  }
}

function readTuple(reader: Reader): TupleValue[] {
  const count = reader.int16()
  const values: TupleValue[] = []
  for (let i = 0; i < count; i++) {
    const kind = String.fromCharCode(reader.uint8())
    if (kind === 'n') values.push(null)
    else if (kind === 'u') values.push(UNCHANGED_TOAST)
    else values.push(reader.text(reader.int32()))
  }
  return values
}

/** Decodes one pgoutput message (the payload of an XLogData frame). */
export function decodePgoutput(buffer: Buffer): PgoutputMessage {
  const reader = new Reader(buffer)
  const code = String.fromCharCode(reader.uint8())
  switch (code) {
    case 'B': {
      const finalLsn = reader.uint64()
      const commitTimeMicros = reader.int64() + POSTGRES_EPOCH_MICROS
      return { tag: 'begin', finalLsn, commitTimeMicros, xid: reader.uint32() }
    }
    case 'C': {
      reader.uint8()
      const commitLsn = reader.uint64()
      const endLsn = reader.uint64()
      return { tag: 'commit', commitLsn, endLsn, commitTimeMicros: reader.int64() + POSTGRES_EPOCH_MICROS }
    }
    case 'R': {
      const oid = reader.uint32()
      const schema = reader.cstring()
      const table = reader.cstring()
      const replicaIdentity = String.fromCharCode(reader.uint8())
      const count = reader.int16()
      const columns: RelationColumn[] = []
      for (let i = 0; i < count; i++) {
        const flags = reader.uint8()
        const name = reader.cstring()
        const typeOid = reader.uint32()
        reader.int32()
        columns.push({ name, typeOid, isKey: (flags & 1) === 1 })
      }
      return { tag: 'relation', relation: { oid, schema, table, replicaIdentity, columns } }
    }
    case 'I': {
      const relationOid = reader.uint32()
      reader.uint8()
      return { tag: 'insert', relationOid, newTuple: readTuple(reader) }
    }
    case 'U': {
      const relationOid = reader.uint32()
      let marker = String.fromCharCode(reader.uint8())
      let oldKind: 'K' | 'O' | null = null
      let oldTuple: TupleValue[] | null = null
      if (marker === 'K' || marker === 'O') {
        oldKind = marker
        oldTuple = readTuple(reader)
        marker = String.fromCharCode(reader.uint8())
      }
      return { tag: 'update', relationOid, oldKind, oldTuple, newTuple: readTuple(reader) }
    }
    case 'D': {
      const relationOid = reader.uint32()
      const marker = String.fromCharCode(reader.uint8())
      return { tag: 'delete', relationOid, oldKind: marker === 'O' ? 'O' : 'K', oldTuple: readTuple(reader) }
    }
    default:
      return { tag: 'other', code }
  }
}

/** Formats a 64-bit LSN as PostgreSQL prints it (`16/B374D848`). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`
}
