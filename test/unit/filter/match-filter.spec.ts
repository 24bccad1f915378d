import { describe, expect, it } from 'vitest'
import { hasFilterColumns, matchesFilter, parseFilter, type FilterColumnType, type FilterCondition } from '../../../filter'
import { matchesTypedFilter } from '../../../filter/match-typed-filter'
import { BUILTIN_TYPES, type PgTypeInfo } from '../../../server/db/render-value'

const type = (oid: number): PgTypeInfo => BUILTIN_TYPES.get(oid) as PgTypeInfo
const types = new Map<string, FilterColumnType>([
  ['id', type(20)],
  ['price', type(1700)],
  ['body', type(25)],
  ['done', type(16)],
  ['at', type(1184)],
  ['owner', type(2950)],
  ['note', type(25)],
  ['ts', type(1114)],
  ['day', type(1082)],
  ['ratio', type(701)],
  ['code', type(1042)],
  ['mood', { name: 'mood', category: 'E' }],
])
const row = { id: '10', price: '2.50', body: 'Hello World', done: 'f', at: '2025-01-02 03:04:05+00', owner: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', note: null }

function conditions(filter: string): FilterCondition[] {
  const parsed = parseFilter(filter)
  if (!parsed.ok) throw parsed.error
  return parsed.conditions
}

function matches(filter: string, values: Record<string, string | null> = row): boolean | null {
  return matchesTypedFilter(conditions(filter), values, types)
}

describe('matchesFilter with column types (the server)', () => {
  it.each([
    ['id=eq.10', true], ['id=eq.9', false], ['id=neq.9', true], ['id=lt.11', true], ['id=lt.10', false],
    ['id=lte.10', true], ['id=gt.9', true], ['id=gt.10', false], ['id=gte.10', true],
    ['price=eq.2.5', true], ['price=gt.10', false],
    ['body=eq.Hello World', true], ['body=lt.Z', null],
    ['id=in.(1,10,100)', true], ['id=in.(1,2)', false],
    ['body=like.Hello%', true], ['body=like.hello%', false], ['body=ilike.hello%', true], ['body=like.H_llo World', true],
    ['body=match.^Hel+o', null], ['body=match.^hello', null], ['body=imatch.^hello', null],
    ['done=is.false', true], ['done=is.true', false], ['note=is.null', true], ['body=is.null', false],
    ['note=isdistinct.x', true], ['body=isdistinct.Hello World', false],
    ['at=gt.2025-01-01', true], ['at=eq.2025-01-02T03:04:05Z', true], ['at=lt.2025-01-02 03:04:05+00', false],
    ['owner=eq.A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', true], ['owner=eq.{a0eebc999c0b4ef8bb6d6bb9bd380a11}', true],
    ['done=eq.false', true], ['done=eq.true', false], ['done=eq.no', true],
  ] as const)('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected)
  })

  it('negates with not.', () => {
    expect(matches('id=not.eq.10')).toBe(false)
    expect(matches('id=not.in.(1,2)')).toBe(true)
    expect(matches('note=not.is.null')).toBe(false)
    expect(matches('note=not.isdistinct.x')).toBe(false)
  })

  it('requires every condition (AND); a definite miss wins over an undecided condition', () => {
    expect(matches('id=eq.10,body=like.Hello%')).toBe(true)
    expect(matches('id=eq.10,body=like.Bye%')).toBe(false)
    expect(matches('id=eq.9,body=match.x')).toBe(false)
    expect(matches('id=eq.10,body=match.x')).toBe(null)
  })

  it('does not match a NULL value with a comparison, negated or not (SQL NULL semantics)', () => {
    expect(matches('note=eq.x')).toBe(false)
    expect(matches('note=not.eq.x')).toBe(false)
    expect(matches('note=not.like.x%')).toBe(false)
    expect(matches('note=not.in.(a,b)')).toBe(false)
  })

  it('leaves a column absent from the row undecided; hasFilterColumns says it does not match on the server', () => {
    expect(matches('body=eq.Hello World', { id: '10' })).toBe(null)
    expect(hasFilterColumns(conditions('body=eq.Hello World'), { id: '10' })).toBe(false)
    expect(matches('id=eq.10', { id: '10' })).toBe(true)
  })

  it('leaves PostgreSQL regular expressions, even invalid ones, to PostgreSQL', () => {
    expect(matches('body=match.([')).toBe(null)
    expect(matches('body=match.[[:digit:]]')).toBe(null)
  })

  it('compares timestamps to the microsecond', () => {
    const r = { at: '2025-01-01 00:00:00.0005+00', ts: '2025-01-01 00:00:00.000001', day: '2025-01-01' }
    expect(matches('at=eq.2025-01-01', r)).toBe(false)
    expect(matches('at=gt.2025-01-01', r)).toBe(true)
    expect(matches('at=eq.2025-01-01 00:00:00.0005Z', r)).toBe(true)
    expect(matches('at=eq.2025-01-01 02:00:00.0005+02', r)).toBe(true)
    expect(matches('ts=gt.2025-01-01', r)).toBe(true)
    expect(matches('ts=eq.2025-01-01 00:00:00.000001+05', r)).toBe(true)
    expect(matches('day=eq.2025-01-01 13:00', r)).toBe(true)
  })

  it('orders infinity and -infinity around every timestamp', () => {
    expect(matches('at=gt.2999-01-01', { at: 'infinity' })).toBe(true)
    expect(matches('at=lt.0001-01-01', { at: '-infinity' })).toBe(true)
    expect(matches('at=eq.infinity', { at: 'infinity' })).toBe(true)
    expect(matches('at=lt.infinity', { at: '2025-01-01 00:00:00+00' })).toBe(true)
    expect(matches('at=gt.-infinity', { at: '-infinity' })).toBe(false)
  })

  it('leaves value forms it does not read to PostgreSQL', () => {
    expect(matches('at=gt.now')).toBe(null)
    expect(matches('id=eq.0x0A')).toBe(null)
  })

  it('reads a quoted "NULL" in an in list as text and an unquoted NULL as SQL NULL', () => {
    expect(matches('body=in.("NULL")', { body: 'NULL' })).toBe(true)
    expect(matches('body=in.(NULL)', { body: 'NULL' })).toBe(false)
    expect(matches('body=not.in.(x,NULL)', { body: 'y' })).toBe(false)
    expect(matches('body=in.(y,NULL)', { body: 'y' })).toBe(true)
  })

  it('matches no row with in.() and every row with not.in.(), NULL included', () => {
    expect(matches('body=in.()')).toBe(false)
    expect(matches('note=not.in.()')).toBe(true)
  })

  it('reads like patterns as PostgreSQL: * is literal, _ is one code point, backslash escapes', () => {
    expect(matches('body=like.a*', { body: 'abc' })).toBe(false)
    expect(matches('body=like.a*', { body: 'a*' })).toBe(true)
    expect(matches('body=like._', { body: '😀' })).toBe(true)
    expect(matches('body=like.100\\%', { body: '100%' })).toBe(true)
    expect(matches('body=like.100\\%', { body: '1000' })).toBe(false)
    expect(matches('body=like.a\\\\b', { body: 'a\\b' })).toBe(true)
    expect(matches('body=like.%', { body: 'line\nbreak' })).toBe(true)
    expect(matches('body=ilike.É%', { body: 'école' })).toBe(null)
  })

  it('compares non-BMP text exactly for equality and leaves order to the collation', () => {
    expect(matches('body=eq.😀', { body: '😀' })).toBe(true)
    expect(matches('body=gt.\uffff', { body: '😀' })).toBe(null)
  })

  it('compares numbers exactly, floats as PostgreSQL (NaN above all)', () => {
    expect(matches('price=eq.0.1', { price: '0.10000000000000000001' })).toBe(false)
    expect(matches('ratio=gt.1e308', { ratio: 'NaN' })).toBe(true)
    expect(matches('ratio=eq.NaN', { ratio: 'NaN' })).toBe(true)
    expect(matches('ratio=lt.Infinity', { ratio: '1' })).toBe(true)
  })

  it('ignores trailing spaces of char(n) for equality and reads enums by label', () => {
    expect(matches('code=eq.ab', { code: 'ab   ' })).toBe(true)
    expect(matches('mood=eq.happy', { mood: 'happy' })).toBe(true)
    expect(matches('mood=neq.happy', { mood: 'sad' })).toBe(true)
    expect(matches('mood=lt.happy', { mood: 'sad' })).toBe(null)
  })
})

describe('matchesFilter without column types (the plugin)', () => {
  const m = (filter: string, values: Record<string, unknown>) => matchesFilter(conditions(filter), values)
  it.each([
    ['room=eq.1', { room: 1 }, true],
    ['room=eq.1', { room: 2 }, false],
    ['room=neq.1', { room: 2 }, true],
    ['n=gt.5', { n: 6 }, true],
    ['n=gte.5', { n: 5 }, true],
    ['n=lt.5', { n: 5 }, false],
    ['n=lte.5', { n: 5 }, true],
    ['price=eq.2.50', { price: 2.5 }, true],
    ['status=in.(open,pending)', { status: 'pending' }, true],
    ['status=in.(open,pending)', { status: 'closed' }, false],
    ['status=in.(open,pending)', { status: 'OPEN' }, null],
    ['status=eq.2025-01-01', { status: 'open' }, null],
    ['n=eq.inf', { n: 'Infinity' }, null],
    ['status=not.in.(open,pending)', { status: 'open' }, false],
    ['name=like.Ad%', { name: 'Ada' }, true],
    ['name=like.ad%', { name: 'Ada' }, null],
    ['name=like.bo%', { name: 'Ada' }, false],
    ['name=ilike.ad%', { name: 'Ada' }, true],
    ['name=ilike.bo%', { name: 'Ada' }, false],
    ['note=is.null', { note: null }, true],
    ['done=is.true', { done: true }, true],
    ['done=eq.f', { done: false }, true],
    ['room=eq.1,status=eq.open', { room: 1, status: 'open' }, true],
    ['room=eq.1,status=eq.open', { room: 2, status: 'closed' }, false],
    ['room=eq.1,status=eq.open', { room: 1, status: 'closed' }, false],
    ['title=eq."a,b"', { title: 'a,b' }, true],
    ['room=eq.1', { other: 1 }, null],
    ['note=not.eq.x', { note: null }, false],
    ['at=eq.2025-01-01', { at: '2025-01-01T00:00:00+00:00' }, null],
    ['meta=eq.x', { meta: { a: 1 } }, null],
  ] as const)('%s on %j is %s', (filter, values, expected) => {
    expect(m(filter, values)).toBe(expected)
  })
})
