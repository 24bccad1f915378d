import { describe, expect, it } from 'vitest'
import { FilterError, filterServerMessage, parseCondition, parseFilter, parseInList, splitTopLevel, unquoteValue } from '../../../filter'

function error(filter: string): FilterError {
  const parsed = parseFilter(filter)
  if (parsed.ok) throw new Error(`expected ${filter} to be rejected`)
  return parsed.error
}

describe('parseFilter', () => {
  it('treats an empty or blank filter as no filter', () => {
    expect(parseFilter(undefined)).toEqual({ ok: true, conditions: [] })
    expect(parseFilter(null)).toEqual({ ok: true, conditions: [] })
    expect(parseFilter('   ')).toEqual({ ok: true, conditions: [] })
  })

  it.each([['eq'], ['neq'], ['lt'], ['lte'], ['gt'], ['gte'], ['like'], ['ilike'], ['match'], ['imatch'], ['isdistinct']])('parses the %s operator', (op) => {
    expect(parseFilter(`body=${op}.hi`)).toEqual({ ok: true, conditions: [{ column: 'body', op, negate: false, value: 'hi' }] })
  })

  it('keeps dots inside the value', () => {
    expect(parseFilter('price=gt.1.5')).toMatchObject({ ok: true, conditions: [{ op: 'gt', value: '1.5' }] })
  })

  it('parses the not. prefix', () => {
    expect(parseFilter('status=not.eq.done')).toMatchObject({ ok: true, conditions: [{ column: 'status', op: 'eq', negate: true, value: 'done' }] })
  })

  it('joins comma-separated conditions with AND', () => {
    expect(parseFilter('room_id=eq.1,status=in.(a,b),body=like.*x')).toMatchObject({
      ok: true,
      conditions: [
        { column: 'room_id', op: 'eq', value: '1' },
        { column: 'status', op: 'in', value: '{a,b}', values: ['a', 'b'] },
        { column: 'body', op: 'like', value: '*x' },
      ],
    })
  })

  it('does not split on commas inside double quotes and unquotes with backslash escapes', () => {
    expect(parseFilter('body=eq."a, \\"b\\" (c)",id=gt.2')).toMatchObject({ ok: true, conditions: [{ column: 'body', value: 'a, "b" (c)' }, { column: 'id', value: '2' }] })
  })

  it('unquotes in list items', () => {
    expect(parseFilter('name=in.("a,b",c)')).toMatchObject({ ok: true, conditions: [{ op: 'in', values: ['a,b', 'c'] }] })
  })

  it('requires parentheses around in values', () => {
    const e = error('id=in.1,2')
    expect(e.code).toBe('FILTER_IN_PARENTHESES')
    expect(filterServerMessage(e)).toBe('Error parsing `filter` params: `in` filter value must be wrapped by parentheses')
    expect(e.fix).toContain('in.(open,pending)')
  })

  it.each(['null', 'true', 'false', 'unknown'])('accepts is.%s', (value) => {
    expect(parseFilter(`done=is.${value}`)).toMatchObject({ ok: true, conditions: [{ op: 'is', value }] })
  })

  it('rejects is values in upper case, as Supabase does', () => {
    expect(error('done=is.NULL').code).toBe('FILTER_IS_VALUE')
  })

  it('rejects other is values', () => {
    const e = error('done=is.maybe')
    expect(e.code).toBe('FILTER_IS_VALUE')
    expect(e.message).toContain('done=is.maybe')
  })

  it('rejects a segment without = the way the server reports it', () => {
    expect(filterServerMessage(error('wrong'))).toBe('Error parsing `filter` params: ["wrong"]')
    expect(error('wrong').code).toBe('FILTER_NO_EQUALS')
  })

  it('rejects an unknown operator the way Supabase reports it', () => {
    const e = error('id=foo.1')
    expect(filterServerMessage(e)).toBe('Error parsing `filter` params: ["foo", "1"]')
    expect(e.code).toBe('FILTER_UNKNOWN_OPERATOR')
    expect(e.message).toContain('"foo"')
  })

  it('rejects upper-case operators, as Supabase does, and says how to write them', () => {
    const e = error('id=EQ.1')
    expect(e.code).toBe('FILTER_UPPERCASE_OPERATOR')
    expect(filterServerMessage(e)).toBe('Error parsing `filter` params: ["EQ", "1"]')
    expect(e.fix).toContain('lower case')
    expect(error('id=NOT.eq.1').code).toBe('FILTER_UPPERCASE_OPERATOR')
  })

  it('rejects an operator without a value', () => {
    expect(filterServerMessage(error('id=eq'))).toBe('Error parsing `filter` params: ["eq"]')
    expect(error('id=').code).toBe('FILTER_NO_VALUE')
  })

  it('rejects empty segments', () => {
    expect(filterServerMessage(error('id=eq.1,,body=eq.x'))).toBe('Error parsing `filter` params: filter must not contain empty segments (check for extra commas)')
  })

  it('rejects a missing column and spaces around the column', () => {
    expect(error('=eq.1').code).toBe('FILTER_NO_COLUMN')
    expect(error('id =eq.1').code).toBe('FILTER_COLUMN_SPACES')
  })

  it('rejects a like pattern ending with a lone backslash', () => {
    expect(error('body=like.a\\').code).toBe('FILTER_LIKE_ESCAPE')
    expect(parseFilter('body=like.a\\\\')).toMatchObject({ ok: true, conditions: [{ value: 'a\\\\' }] })
  })

  it('limits in lists to 100 values unless told otherwise', () => {
    const list = `id=in.(${Array.from({ length: 101 }, (_, i) => i).join(',')})`
    expect(error(list).code).toBe('FILTER_IN_TOO_MANY')
    expect(parseFilter(list, { maxInValues: Number.POSITIVE_INFINITY }).ok).toBe(true)
  })
})

describe('in lists', () => {
  it('renders the list as the PostgreSQL array literal Supabase builds', () => {
    expect(parseFilter('name=in.("a,b",c,"say \\"hi\\"")')).toMatchObject({
      ok: true,
      conditions: [{ value: '{"a,b",c,"say \\"hi\\""}', values: ['a,b', 'c', 'say "hi"'] }],
    })
  })

  it('reads in.() as the empty list', () => {
    expect(parseFilter('id=in.()')).toMatchObject({ ok: true, conditions: [{ value: '{}', values: [] }] })
  })

  it('reads an unquoted NULL as SQL NULL and a quoted "NULL" as text', () => {
    expect(parseInList('NULL,null,"NULL", a b ,\\,')).toEqual([null, null, 'NULL', 'a b', ','])
  })

  it('rejects malformed lists', () => {
    expect(typeof parseInList('a,,b')).toBe('string')
    expect(typeof parseInList('"a')).toBe('string')
    expect(typeof parseInList('{a}')).toBe('string')
    expect(error('id=in.(1,)').code).toBe('FILTER_IN_MALFORMED')
  })
})

describe('parseCondition', () => {
  it('reads one op.value expression for a column', () => {
    expect(parseCondition('age', 'not.gte.18')).toEqual({ ok: true, condition: { column: 'age', op: 'gte', negate: true, value: '18' } })
    expect(parseCondition('age', 'between.1').ok).toBe(false)
  })
})

describe('splitTopLevel', () => {
  it('splits only outside parentheses and quoted values', () => {
    expect(splitTopLevel('a=eq.1,b=in.(b,c),c=eq."d,e",f=eq.2')).toEqual(['a=eq.1', 'b=in.(b,c)', 'c=eq."d,e"', 'f=eq.2'])
  })

  it('opens a quoted value only after a dot, parenthesis or comma, as Supabase does', () => {
    expect(splitTopLevel('a=eq.x"y,z"')).toEqual(['a=eq.x"y', 'z"'])
  })
})

describe('unquoteValue', () => {
  it('leaves unquoted values alone', () => {
    expect(unquoteValue('plain')).toBe('plain')
  })
  it('removes quotes and escapes', () => {
    expect(unquoteValue('"a\\\\b\\"c"')).toBe('a\\b"c')
  })
  it('keeps a value that is not exactly one quoted string', () => {
    expect(unquoteValue('"abc')).toBe('"abc')
    expect(unquoteValue('"a"b"')).toBe('"a"b"')
  })
})

describe('FilterError', () => {
  it('serialises code, message and fix', () => {
    expect(error('x=bad.1').toJSON()).toEqual({ code: 'FILTER_UNKNOWN_OPERATOR', message: expect.stringContaining('x=bad.1'), fix: expect.stringContaining('eq') })
  })
})
