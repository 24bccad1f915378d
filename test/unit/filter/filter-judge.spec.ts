import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { parseFilter, type FilterCondition } from '../../../filter'
import type { RelationInfo } from '../../../server/db/decode-pgoutput'
import { FilterJudge } from '../../../server/db/filter-judge'
import type { PgTypeInfo } from '../../../server/db/render-value'

function conditions(filter: string): FilterCondition[] {
  const parsed = parseFilter(filter)
  if (!parsed.ok) throw parsed.error
  return parsed.conditions
}

/** A pool that answers every evaluation with `answer` and records the queries (a fake, for counting round trips). */
function fakePool(answer: boolean) {
  const queries: Array<{ text: string; values: unknown[] }> = []
  const pool = {
    query(text: string, values: unknown[]) {
      queries.push({ text, values })
      const columns = [...text.matchAll(/ as "(\d+)"/g)].map((m) => m[1] as string)
      return Promise.resolve({ rows: [Object.fromEntries(columns.map((c) => [c, answer]))] })
    },
  }
  return { pool: pool as unknown as pg.Pool, queries }
}

const relation: RelationInfo = { oid: 42, schema: 'public', table: 'items', replicaIdentity: 'd', columns: [] }
const types = new Map<string, PgTypeInfo>([['id', { name: 'int8', category: 'N' }], ['body', { name: 'text', category: 'S' }]])

describe('FilterJudge', () => {
  it('decides in JavaScript when it can and asks PostgreSQL once per distinct undecided filter, then remembers', async () => {
    const { pool, queries } = fakePool(true)
    const judge = new FilterJudge(pool)
    const regex = conditions('body=match.^a')
    const filters = [conditions('id=eq.1'), regex, regex, conditions('id=eq.2'), conditions('body=match.^a,id=eq.1')]
    expect(await judge.matches(relation, { id: '1', body: 'apple' }, types, filters)).toEqual([true, true, true, false, true])
    expect(queries).toHaveLength(1)
    expect(queries[0]?.text).toContain('json_populate_record(null::"public"."items"')
    expect(queries[0]?.text.match(/ as "\d+"/g)).toHaveLength(2)
    expect(queries[0]?.values.at(-1)).toBe(JSON.stringify({ body: 'apple', id: '1' }))
    await judge.matches(relation, { id: '1', body: 'apple' }, types, [regex])
    expect(queries).toHaveLength(1)
  })

  it('does not match a filter on a column missing from the row, without asking', async () => {
    const { pool, queries } = fakePool(true)
    const judge = new FilterJudge(pool)
    expect(await judge.matches(relation, { id: '1' }, types, [conditions('body=match.x')])).toEqual([false])
    expect(queries).toHaveLength(0)
  })

  it('does not match, and warns, when PostgreSQL cannot evaluate', async () => {
    const warnings: string[] = []
    const pool = { query: () => Promise.reject(new Error('relation does not exist')) } as unknown as pg.Pool
    const judge = new FilterJudge(pool, (message) => warnings.push(message))
    expect(await judge.matches(relation, { body: 'x' }, types, [conditions('body=match.x')])).toEqual([false])
    expect(warnings).toEqual(['Could not evaluate a filter on public.items in PostgreSQL'])
  })
})
