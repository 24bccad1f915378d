import { describe, expect, it } from 'vitest'
import { matchesFilters } from '../../server/db/match-filters'
import { parseFilter } from '../../server/db/parse-filter'
import { BUILTIN_TYPES, type PgTypeInfo } from '../../server/db/render-value'

const type = (oid: number): PgTypeInfo => BUILTIN_TYPES.get(oid) as PgTypeInfo
const types = new Map<string, PgTypeInfo>([
  ['id', type(20)],
  ['price', type(1700)],
  ['body', type(25)],
  ['done', type(16)],
  ['at', type(1184)],
  ['owner', type(2950)],
])
const row = { id: '10', price: '2.50', body: 'Hello World', done: 'f', at: '2025-01-02 03:04:05+00', owner: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', note: null }

function matches(filter: string, values: Record<string, string | null> = row): boolean {
  const parsed = parseFilter(filter)
  if (!parsed.ok) throw new Error(parsed.message)
  return matchesFilters(parsed.conditions, values, types)
}

describe('matchesFilters', () => {
  it.each([
    ['id=eq.10', true], ['id=eq.9', false], ['id=neq.9', true], ['id=lt.11', true], ['id=lt.10', false],
    ['id=lte.10', true], ['id=gt.9', true], ['id=gt.10', false], ['id=gte.10', true],
    ['price=eq.2.5', true], ['price=gt.10', false],
    ['body=eq.Hello World', true], ['body=lt.Z', true],
    ['id=in.(1,10,100)', true], ['id=in.(1,2)', false],
    ['body=like.Hello%', true], ['body=like.hello%', false], ['body=ilike.hello%', true], ['body=like.H_llo World', true],
    ['body=match.^Hel+o', true], ['body=match.^hello', false], ['body=imatch.^hello', true],
    ['done=is.false', true], ['done=is.true', false], ['note=is.null', true], ['body=is.null', false],
    ['note=isdistinct.x', true], ['body=isdistinct.Hello World', false],
    ['at=gt.2025-01-01', true], ['at=eq.2025-01-02T03:04:05Z', true], ['at=lt.2025-01-02 03:04:05+00', false],
    ['owner=eq.a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true],
    ['done=eq.false', true], ['done=eq.true', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected)
  })

  it('negates with not.', () => {
    expect(matches('id=not.eq.10')).toBe(false)
    expect(matches('id=not.in.(1,2)')).toBe(true)
    expect(matches('note=not.is.null')).toBe(false)
  })

  it('requires every condition (AND)', () => {
    expect(matches('id=eq.10,body=like.Hello%')).toBe(true)
    expect(matches('id=eq.10,body=like.Bye%')).toBe(false)
  })

  it('does not match a NULL value with a comparison, negated or not', () => {
    expect(matches('note=eq.x')).toBe(false)
    expect(matches('note=not.eq.x')).toBe(false)
  })

  it('does not match when the column is absent (DELETE without that column in the replica identity)', () => {
    expect(matches('body=eq.Hello World', { id: '10' })).toBe(false)
    expect(matches('id=eq.10', { id: '10' })).toBe(true)
  })

  it('treats an invalid regular expression as no match', () => {
    expect(matches('body=match.([')).toBe(false)
  })
})
