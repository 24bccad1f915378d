import { describe, expect, it } from 'vitest'
import { evaluateExpression } from '../../playground/engine/evaluate-expression'
import { isExpressionError } from '../../playground/engine/expression-error'
import { parseExpression } from '../../playground/engine/parse-expression'
import { renderDeep, renderTemplate } from '../../playground/engine/render-template'

const scope = {
  event: { data: { payload: { text: 'hello', tags: ['a', 'b'] }, self: false }, channel: 'chat' },
  variables: {
    presence: { chat: { count: 2, members: [{ name: 'Ada' }, { name: 'Bob' }] } },
    messages: new Map([['room-1', [{ id: 'm1' }]]]),
    channels: { 'room-1': { status: 'joined' } },
  },
  inputs: { name: 'Ada', message: 'Hi there', empty: '' },
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return null
}

describe('evaluateExpression', () => {
  describe('paths', () => {
    it.each([
      ['event.data.payload.text', 'hello'],
      ['variables.presence.chat.count', 2],
      ['inputs.message', 'Hi there'],
      ['event.data.payload.tags[1]', 'b'],
      ['event.data.payload.tags.0', 'a'],
      ['event.data.payload.tags.length', 2],
      ['variables.presence.chat.members[0].name', 'Ada'],
      ['variables.presence["chat"].count', 2],
      ["variables.messages['room-1'][0].id", 'm1'],
      ['variables.channels.room-1.status', 'joined'],
      ['  inputs . name  ', 'Ada'],
    ])('reads %s', (source, expected) => {
      expect(evaluateExpression(source, scope)).toEqual(expected)
    })

    it.each(['event.data.missing.deeper', 'inputs.nope', 'variables.presence.chat.members[9].name', 'item.text'])(
      'gives undefined for the missing path %s',
      (source) => {
        expect(evaluateExpression(source, scope)).toBeUndefined()
      },
    )

    it('never reads inherited members', () => {
      expect(evaluateExpression('inputs.toString', scope)).toBeUndefined()
      expect(evaluateExpression('inputs.hasOwnProperty', scope)).toBeUndefined()
      expect(evaluateExpression('event.data.payload.tags.map', scope)).toBeUndefined()
    })

    it.each(['inputs.__proto__', 'inputs.constructor', 'inputs["prototype"]', 'inputs.constructor.constructor'])(
      'refuses the forbidden path %s with EXPRESSION_FORBIDDEN_KEY',
      (source) => {
        const error = errorOf(() => evaluateExpression(source, scope))
        expect(isExpressionError(error) && error.code).toBe('EXPRESSION_FORBIDDEN_KEY')
      },
    )
  })

  describe('literals', () => {
    it.each([
      ['"chat"', 'chat'],
      ["'it\\'s'", "it's"],
      ['42', 42],
      ['-1.5', -1.5],
      ['true', true],
      ['false', false],
      ['null', null],
    ])('evaluates %s', (source, expected) => {
      expect(evaluateExpression(source, scope)).toEqual(expected)
    })

    it('builds objects and lists from bindings', () => {
      expect(evaluateExpression('{ name: inputs.name, text: inputs.message, "sent by": "web", n: 1 }', scope)).toEqual({
        name: 'Ada',
        text: 'Hi there',
        'sent by': 'web',
        n: 1,
      })
      expect(evaluateExpression('[inputs.name, 2, [true]]', scope)).toEqual(['Ada', 2, [true]])
      expect(evaluateExpression('{}', scope)).toEqual({})
    })

    it('reads plain JSON as an expression', () => {
      expect(evaluateExpression('{"text": "hi", "n": 2.5, "tags": ["a", true, null], "nested": {"x": -1}}', scope)).toEqual({
        text: 'hi',
        n: 2.5,
        tags: ['a', true, null],
        nested: { x: -1 },
      })
    })

    it('refuses __proto__ as an object key', () => {
      const error = errorOf(() => evaluateExpression('{ __proto__: inputs.name }', scope))
      expect(isExpressionError(error) && error.code).toBe('EXPRESSION_FORBIDDEN_KEY')
    })
  })

  describe('templates', () => {
    it('interpolates placeholders inside a quoted string', () => {
      expect(evaluateExpression('"{{ inputs.name }}: {{ inputs.message }}"', scope)).toBe('Ada: Hi there')
    })

    it('keeps the type of a string that is one placeholder', () => {
      expect(evaluateExpression('"{{ variables.presence.chat.count }}"', scope)).toBe(2)
    })

    it('writes objects as JSON and missing values as nothing', () => {
      expect(evaluateExpression('"[{{ inputs.nope }}] {{ variables.presence.chat.members[0] }}"', scope)).toBe('[] {"name":"Ada"}')
    })
  })

  describe('fallbacks', () => {
    it('uses the right side of ?? only for missing values', () => {
      expect(evaluateExpression('inputs.nope ?? "Guest"', scope)).toBe('Guest')
      expect(evaluateExpression('inputs.empty ?? "Guest"', scope)).toBe('')
    })

    it('uses the right side of || for any empty value', () => {
      expect(evaluateExpression('inputs.empty || inputs.nope || "Guest"', scope)).toBe('Guest')
    })
  })

  describe('syntax errors', () => {
    it.each([
      ['', 'EXPRESSION_SYNTAX'],
      ['inputs.', 'EXPRESSION_SYNTAX'],
      ['inputs.name +', 'EXPRESSION_SYNTAX'],
      ['"unclosed', 'EXPRESSION_SYNTAX'],
      ['{ a: 1', 'EXPRESSION_SYNTAX'],
      ['[1, 2', 'EXPRESSION_SYNTAX'],
      ['inputs[name]', 'EXPRESSION_SYNTAX'],
      ['"{{ inputs.name "', 'EXPRESSION_SYNTAX'],
      ['"{{ }}"', 'EXPRESSION_SYNTAX'],
      ['window.location', 'EXPRESSION_UNKNOWN_ROOT'],
      ['alert(1)', 'EXPRESSION_UNKNOWN_ROOT'],
      ['inputs.name()', 'EXPRESSION_SYNTAX'],
      ['inputs.name = 1', 'EXPRESSION_SYNTAX'],
      ['`${1}`', 'EXPRESSION_SYNTAX'],
    ])('rejects %j with %s, a position and a fix', (source, code) => {
      const error = errorOf(() => parseExpression(source))
      expect(isExpressionError(error)).toBe(true)
      if (!isExpressionError(error)) return
      expect(error.code).toBe(code)
      expect(error.position).toBeGreaterThanOrEqual(0)
      expect(error.fix.length).toBeGreaterThan(10)
    })

    it('points at the character that is wrong', () => {
      const error = errorOf(() => parseExpression('inputs.name + 1'))
      expect(isExpressionError(error) && error.position).toBe(12)
    })
  })
})

describe('renderTemplate', () => {
  it('returns text without placeholders unchanged', () => {
    expect(renderTemplate('chat', scope)).toBe('chat')
  })

  it('renders placeholders in typed-in text', () => {
    expect(renderTemplate('{{ inputs.name }} says {{ event.data.payload.text }}', scope)).toBe('Ada says hello')
  })

  it('renders every string inside JSON values and drops __proto__ keys', () => {
    const value: unknown = JSON.parse('{"text": "{{ inputs.message }}", "list": ["{{ inputs.name }}", 3], "__proto__": {"polluted": true}}')
    const rendered = renderDeep(value, scope) as Record<string, unknown>
    expect(rendered).toEqual({ text: 'Hi there', list: ['Ada', 3] })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
