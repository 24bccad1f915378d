import { describe, expect, it } from 'vitest'
import { parseFilter, splitTopLevel, unquote } from '../../server/db/parse-filter'

describe('parseFilter', () => {
  it('treats an empty or blank filter as no filter', () => {
    expect(parseFilter(undefined)).toEqual({ ok: true, conditions: [] })
    expect(parseFilter('   ')).toEqual({ ok: true, conditions: [] })
  })

  it.each([
    ['eq'], ['neq'], ['lt'], ['lte'], ['gt'], ['gte'], ['like'], ['ilike'], ['match'], ['imatch'], ['isdistinct'],
  ])('parses the %s operator', (op) => {
    expect(parseFilter(`body=${op}.hi`)).toEqual({ ok: true, conditions: [{ column: 'body', op, negate: false, value: 'hi' }] })
  })

  it('keeps dots inside the value', () => {
    expect(parseFilter('price=gt.1.5')).toMatchObject({ ok: true, conditions: [{ op: 'gt', value: '1.5' }] })
  })

  it('parses the not. prefix', () => {
    expect(parseFilter('status=not.eq.done')).toMatchObject({ ok: true, conditions: [{ column: 'status', op: 'eq', negate: true, value: 'done' }] })
  })

  it('joins comma-separated conditions with AND', () => {
    const result = parseFilter('room_id=eq.1,status=in.(a,b),body=like.*x')
    expect(result).toMatchObject({
      ok: true,
      conditions: [
        { column: 'room_id', op: 'eq', value: '1' },
        { column: 'status', op: 'in', values: ['a', 'b'] },
        { column: 'body', op: 'like', value: '*x' },
      ],
    })
  })

  it('does not split on commas inside double quotes and unquotes with backslash escapes', () => {
    const result = parseFilter('body=eq."a, \\"b\\" (c)",id=gt.2')
    expect(result).toMatchObject({ ok: true, conditions: [{ column: 'body', value: 'a, "b" (c)' }, { column: 'id', value: '2' }] })
  })

  it('unquotes in list items', () => {
    expect(parseFilter('name=in.("a,b",c)')).toMatchObject({ ok: true, conditions: [{ op: 'in', values: ['a,b', 'c'] }] })
  })

  it('requires parentheses around in values', () => {
    expect(parseFilter('id=in.1,2')).toEqual({ ok: false, message: 'Error parsing `filter` params: `in` filter value must be wrapped by parentheses' })
  })

  it.each(['null', 'true', 'false', 'unknown', 'NULL'])('accepts is.%s', (value) => {
    expect(parseFilter(`done=is.${value}`)).toMatchObject({ ok: true, conditions: [{ op: 'is', value: value.toLowerCase() }] })
  })

  it('rejects other is values', () => {
    expect(parseFilter('done=is.maybe')).toMatchObject({ ok: false })
  })

  it('rejects a segment without = the way the server reports it', () => {
    expect(parseFilter('wrong')).toEqual({ ok: false, message: 'Error parsing `filter` params: ["wrong"]' })
  })

  it('rejects an unknown operator', () => {
    expect(parseFilter('id=foo.1')).toEqual({ ok: false, message: 'Error parsing `filter` params: ["id", "foo.1"]' })
  })

  it('rejects empty segments', () => {
    expect(parseFilter('id=eq.1,,body=eq.x')).toEqual({
      ok: false,
      message: 'Error parsing `filter` params: filter must not contain empty segments (check for extra commas)',
    })
  })
})

describe('splitTopLevel', () => {
  it('splits only outside parentheses and quotes', () => {
    expect(splitTopLevel('a,(b,c),"d,e",f', ',')).toEqual(['a', '(b,c)', '"d,e"', 'f'])
  })
})

describe('unquote', () => {
  it('leaves unquoted values alone', () => {
    expect(unquote('plain')).toBe('plain')
  })
  it('removes quotes and escapes', () => {
    expect(unquote('"a\\\\b\\"c"')).toBe('a\\b"c')
  })
})

describe('parseFilter in values', () => {
  it('renders the list as a PostgreSQL array literal, quoting only what needs it', () => {
    expect(parseFilter('name=in.("a,b",c,"say \\"hi\\"")')).toMatchObject({
      ok: true,
      conditions: [{ value: '{"a,b",c,"say \\"hi\\""}', values: ['a,b', 'c', 'say "hi"'] }],
    })
  })
})
