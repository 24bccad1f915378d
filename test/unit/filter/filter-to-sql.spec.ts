import { describe, expect, it } from 'vitest'
import { filterToSql, parseFilter, quoteIdentifier, type FilterCondition } from '../../../filter'

function conditions(filter: string): FilterCondition[] {
  const parsed = parseFilter(filter)
  if (!parsed.ok) throw parsed.error
  return parsed.conditions
}

describe('filterToSql', () => {
  it('is TRUE for no conditions', () => {
    expect(filterToSql([], [])).toBe('TRUE')
  })

  it('renders every operator with $n placeholders numbered after existing params', () => {
    const params: unknown[] = ['already']
    const sql = filterToSql(conditions('a=eq.1,b=neq.x,c=lt.2,d=lte.3,e=gt.4,f=gte.5,g=like.a%,h=ilike.B_,i=match.^x,j=imatch.Y$'), params)
    expect(sql).toBe('("a" = $2) AND ("b" <> $3) AND ("c" < $4) AND ("d" <= $5) AND ("e" > $6) AND ("f" >= $7) AND ("g" LIKE $8) AND ("h" ILIKE $9) AND ("i" ~ $10) AND ("j" ~* $11)')
    expect(params).toEqual(['already', '1', 'x', '2', '3', '4', '5', 'a%', 'B_', '^x', 'Y$'])
  })

  it('negates with NOT (…), IS NOT and IS NOT DISTINCT FROM', () => {
    const params: unknown[] = []
    expect(filterToSql(conditions('a=not.eq.1,b=not.is.null,c=is.true,d=not.isdistinct.x,e=isdistinct.y'), params)).toBe(
      '(NOT ("a" = $1)) AND ("b" IS NOT NULL) AND ("c" IS TRUE) AND ("d" IS NOT DISTINCT FROM $2) AND ("e" IS DISTINCT FROM $3)',
    )
    expect(params).toEqual(['1', 'x', 'y'])
  })

  it('passes an in list as the array literal, compared with ANY', () => {
    const params: unknown[] = []
    expect(filterToSql(conditions('s=not.in.(a,"b,c",NULL)'), params)).toBe('(NOT ("s" = ANY ($1)))')
    expect(params).toEqual(['{a,"b,c",NULL}'])
  })

  it('quotes column names, or renders them as told', () => {
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"')
    expect(filterToSql(conditions('id=eq.1'), [], (name) => `r.${quoteIdentifier(name)}`)).toBe('(r."id" = $1)')
  })
})
