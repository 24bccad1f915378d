import { describe, expect, it } from 'vitest'
import { BUILTIN_TYPES, parseArrayLiteral, renderValue, type PgTypeInfo } from '../../server/db/render-value'

const byName = (name: string): PgTypeInfo => {
  for (const info of BUILTIN_TYPES.values()) if (info.name === name) return info
  throw new Error(`no type ${name}`)
}

describe('renderValue', () => {
  it.each([
    ['int8', '42', 42],
    ['int4', '-7', -7],
    ['float8', '1.5', 1.5],
    ['numeric', '10.25', 10.25],
    ['bool', 't', true],
    ['bool', 'f', false],
    ['text', 'hi', 'hi'],
    ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['jsonb', '{"a": [1, 2]}', { a: [1, 2] }],
    ['json', '"x"', 'x'],
    ['timestamptz', '2025-11-03 09:32:55.123+00', '2025-11-03T09:32:55.123+00:00'],
    ['timestamptz', '2025-11-03 09:32:55+05:30', '2025-11-03T09:32:55+05:30'],
    ['timestamp', '2025-11-03 09:32:55', '2025-11-03T09:32:55'],
    ['date', '2025-11-03', '2025-11-03'],
    ['float8', 'NaN', 'NaN'],
    ['_text', '{a,"b c",NULL}', ['a', 'b c', null]],
    ['_int4', '{{1,2},{3,4}}', [[1, 2], [3, 4]]],
    ['_bool', '{t,f}', [true, false]],
  ] as const)('renders %s %j as to_jsonb does', (name, text, expected) => {
    expect(renderValue(text, byName(name))).toEqual(expected)
  })

  it('keeps NULL', () => {
    expect(renderValue(null, byName('int8'))).toBeNull()
  })
})

describe('parseArrayLiteral', () => {
  it('handles escapes, empty arrays and dimension prefixes', () => {
    expect(parseArrayLiteral('{"a\\"b","c\\\\d"}')).toEqual(['a"b', 'c\\d'])
    expect(parseArrayLiteral('{}')).toEqual([])
    expect(parseArrayLiteral('[0:1]={1,2}')).toEqual(['1', '2'])
  })
})
