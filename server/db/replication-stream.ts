import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { RealtimeServerError } from '../server-error'
import { decodePgoutput, type PgoutputMessage, type RelationInfo, type TupleValue } from './decode-pgoutput'

/** One row change of a committed transaction, with its relation as it was at that point. */
export interface ReplicatedChange {
  type: 'INSERT' | 'UPDATE' | 'DELETE'
  relation: RelationInfo
  newTuple: TupleValue[] | null
  oldTuple: TupleValue[] | null
  /** `K`: key columns only; `O`: the whole old row (REPLICA IDENTITY FULL). */
  oldKind: 'K' | 'O' | null
}

/** A committed transaction, in commit order. */
export interface ReplicatedTransaction {
  /** Transaction id (32-bit, as sent by pgoutput). */
  xid: number
  commitTimeMicros: bigint
  endLsn: bigint
  changes: ReplicatedChange[]
}

export interface ReplicationStreamOptions {
  url: string
  publications: string[]
  /**
   * Called for each transaction as soon as it is committed (several may be in preparation at
   * once); resolves to the function that delivers it. Deliveries run one at a time in commit
   * order, and the slot is acknowledged after each.
   */
  prepare(transaction: ReplicatedTransaction): Promise<() => void>
  onError(error: Error): void
}

/** A running logical replication stream. */
export interface ReplicationStream {
  /** Number of transactions received but not yet handled. */
  readonly backlog: number
  /** Resolves when the stream ends, whether by `stop()` or because the connection was lost. */
  readonly ended: Promise<void>
  stop(): Promise<void>
}

/** Transactions in preparation above which reading from PostgreSQL pauses, and below which it resumes. */
const HIGH_WATER = 256
const LOW_WATER = 64
/** Transactions delivered in one turn of the event loop, at most. */
const DELIVERIES_PER_TURN = 16

interface ReplicationConnection {
  on(event: 'copyData', listener: (message: { chunk: Buffer }) => void): void
  once(event: 'replicationStart', listener: () => void): void
  sendCopyFromChunk(chunk: Buffer): void
}

/**
 * Streams committed changes of the given publications through a temporary `pgoutput` slot (it
 * disappears with the connection, so nothing is left behind). Transactions are handed over one
 * at a time in commit order and acknowledged only once handled, so none is lost while it runs.
 */
export async function startReplicationStream(options: ReplicationStreamOptions): Promise<ReplicationStream> {
  const config: pg.ClientConfig & { replication: 'database' } = {
    connectionString: options.url,
    replication: 'database',
    // NOTE: values are sent in the walsender's text format; pin it so rendering is predictable.
    options: '-c timezone=UTC -c datestyle=ISO,MDY -c extra_float_digits=1 -c intervalstyle=postgres',
  }
  const client = new pg.Client(config)
  const slot = `realtime_${randomBytes(6).toString('hex')}`
  let stopped = false
  client.on('error', (error: Error) => {
    if (!stopped) options.onError(error)
  })
  try {
    await client.connect()
    await client.query(`CREATE_REPLICATION_SLOT "${slot}" TEMPORARY LOGICAL pgoutput NOEXPORT_SNAPSHOT`)
  } catch (cause) {
    await client.end().catch(() => undefined)
    throw new RealtimeServerError('REPLICATION_UNAVAILABLE', { slot }, { cause })
  }
  const connection = (client as unknown as { connection: ReplicationConnection }).connection
  const queue: Array<{ transaction: ReplicatedTransaction; ready: Promise<(() => void) | null> }> = []
  const relations = new Map<number, RelationInfo>()
  const stream = (connection as unknown as { stream?: { pause?: () => void; resume?: () => void } }).stream
  let paused = false
  let current: ReplicatedTransaction | null = null
  let processing = false
  let ackedLsn = 0n
  let idleLsn = 0n

  function sendStatus(lsn: bigint, reply = false): void {
    if (stopped) return
    const buffer = Buffer.alloc(34)
    buffer.write('r', 0)
    const next = lsn + 1n
    buffer.writeBigUInt64BE(next, 1)
    buffer.writeBigUInt64BE(next, 9)
    buffer.writeBigUInt64BE(next, 17)
    buffer.writeBigInt64BE(BigInt(Date.now() - 946_684_800_000) * 1000n, 25)
    buffer.writeUInt8(reply ? 1 : 0, 33)
    connection.sendCopyFromChunk(buffer)
  }

  async function drain(): Promise<void> {
    if (processing) return
    processing = true
    try {
      let delivered = 0
      while (queue.length > 0 && !stopped) {
        // NOTE: transactions prepared ahead resolve at once; let timers, sockets and signals in between batches.
        if (++delivered % DELIVERIES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve))
        const entry = queue[0] as (typeof queue)[number]
        const deliver = await entry.ready
        try {
          deliver?.()
        } catch (error) {
          options.onError(error instanceof Error ? error : new Error(String(error)))
        }
        queue.shift()
        ackedLsn = entry.transaction.endLsn
        sendStatus(ackedLsn)
        if (paused && queue.length < LOW_WATER) {
          paused = false
          stream?.resume?.()
        }
      }
    } finally {
      processing = false
    }
  }

  function enqueue(transaction: ReplicatedTransaction): void {
    const ready = options.prepare(transaction).catch((error: unknown) => {
      options.onError(error instanceof Error ? error : new Error(String(error)))
      return null
    })
    queue.push({ transaction, ready })
    if (!paused && queue.length > HIGH_WATER) {
      // NOTE: backpressure; PostgreSQL keeps the rest in the slot until we catch up.
      paused = true
      stream?.pause?.()
    }
    void drain()
  }

  function handle(message: PgoutputMessage): void {
    switch (message.tag) {
      case 'begin':
        current = { xid: message.xid, commitTimeMicros: message.commitTimeMicros, endLsn: message.finalLsn, changes: [] }
        return
      case 'relation':
        relations.set(message.relation.oid, message.relation)
        return
      case 'insert':
      case 'update':
      case 'delete': {
        const relation = relations.get(message.relationOid)
        if (!current || !relation) return
        current.changes.push({
          type: message.tag === 'insert' ? 'INSERT' : message.tag === 'update' ? 'UPDATE' : 'DELETE',
          relation,
          newTuple: message.tag === 'delete' ? null : message.newTuple,
          oldTuple: message.tag === 'insert' ? null : message.oldTuple,
          oldKind: message.tag === 'insert' ? null : message.oldKind,
        })
        return
      }
      case 'commit':
        if (current) {
          current.endLsn = message.endLsn
          if (current.changes.length > 0) enqueue(current)
          else idleLsn = message.endLsn
          current = null
        }
        return
      default:
        return
    }
  }

  connection.on('copyData', ({ chunk }) => {
    if (stopped) return
    const kind = chunk[0]
    if (kind === 0x77) {
      // XLogData: 'w', start LSN, end LSN, clock, then the pgoutput message.
      try {
        handle(decodePgoutput(chunk.subarray(25)))
      } catch (error) {
        options.onError(error instanceof Error ? error : new Error(String(error)))
      }
    } else if (kind === 0x6b) {
      // Primary keepalive: 'k', WAL end, clock, reply-requested flag.
      const walEnd = chunk.readBigUInt64BE(1)
      const idle = queue.length === 0 && !processing && current === null
      if (idle) idleLsn = walEnd > idleLsn ? walEnd : idleLsn
      if (chunk[17] === 1) sendStatus(idle ? (idleLsn > ackedLsn ? idleLsn : ackedLsn) : ackedLsn)
    }
  })

  const publications = options.publications.map((name) => `"${name.replace(/"/g, '""')}"`).join(',')
  let isStarted = false
  let startError: unknown = null
  const started = new Promise<void>((resolve) =>
    connection.once('replicationStart', () => {
      isStarted = true
      resolve()
    }),
  )
  const streaming = client
    .query(`START_REPLICATION SLOT "${slot}" LOGICAL 0/0 (proto_version '1', publication_names '${publications.replace(/'/g, "''")}')`)
    .then(
      () => undefined,
      (error: Error) => {
        if (!isStarted) startError = error
        else if (!stopped) options.onError(error)
      },
    )
  await Promise.race([started, streaming])
  if (!isStarted) {
    stopped = true
    await client.end().catch(() => undefined)
    throw new RealtimeServerError('REPLICATION_UNAVAILABLE', { slot }, { cause: startError ?? new Error('the replication stream ended before it started') })
  }

  return {
    get backlog() {
      return queue.length
    },
    ended: streaming,
    async stop() {
      if (stopped) return
      stopped = true
      await client.end().catch(() => undefined)
      await streaming
    },
  }
}
