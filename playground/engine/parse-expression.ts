import { EXPRESSION_ROOTS, FORBIDDEN_KEYS, type ExpressionNode, type TemplatePart } from './expression-ast'
import { ExpressionError } from './expression-error'

const ROOTS: ReadonlySet<string> = new Set(EXPRESSION_ROOTS)
const cache = new Map<string, ExpressionNode>()
const CACHE_LIMIT = 500

/**
 * Parses a binding expression: paths (`event.data.payload.text`, `variables.messages["chat"][0]`),
 * string / number / boolean / null literals, template strings (`"{{ inputs.name }}: {{ inputs.message }}"`),
 * object and array literals, and `a ?? b` fallbacks. There is no call, operator or assignment syntax,
 * so an expression can only read values. Throws {@link ExpressionError} with the position of the problem.
 */
export function parseExpression(source: string): ExpressionNode {
  const cached = cache.get(source)
  if (cached) return cached
  const parser = new Parser(source, 0)
  parser.skipSpace()
  if (parser.atEnd()) throw new ExpressionError('EXPRESSION_SYNTAX', 'The binding is empty', 0)
  const node = parser.parseExpression()
  parser.skipSpace()
  if (!parser.atEnd()) {
    throw new ExpressionError('EXPRESSION_SYNTAX', `Unexpected "${parser.peek()}"`, parser.pos)
  }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(source, node)
  return node
}

/**
 * Parses text with `{{ expression }}` placeholders into a template node, or a literal when it has none.
 * `offset` is where the text starts in a larger source, for error positions.
 */
export function parseTemplate(text: string, offset = 0): ExpressionNode {
  const parts: TemplatePart[] = []
  let index = 0
  while (index < text.length) {
    const open = text.indexOf('{{', index)
    if (open === -1) {
      parts.push({ kind: 'text', text: text.slice(index) })
      break
    }
    if (open > index) parts.push({ kind: 'text', text: text.slice(index, open) })
    const close = text.indexOf('}}', open + 2)
    if (close === -1) {
      throw new ExpressionError('EXPRESSION_SYNTAX', 'A "{{" placeholder is not closed with "}}"', offset + open)
    }
    const inner = new Parser(text.slice(0, close), open + 2, offset)
    inner.skipSpace()
    if (inner.atEnd()) throw new ExpressionError('EXPRESSION_SYNTAX', 'A "{{ }}" placeholder is empty', offset + open)
    const node = inner.parseExpression()
    inner.skipSpace()
    if (!inner.atEnd()) {
      throw new ExpressionError('EXPRESSION_SYNTAX', `Unexpected "${inner.peek()}" inside "{{ }}"`, offset + inner.pos)
    }
    parts.push({ kind: 'expression', node })
    index = close + 2
  }
  if (parts.every((p) => p.kind === 'text')) return { kind: 'literal', value: parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') }
  return { kind: 'template', parts }
}

class Parser {
  constructor(
    private readonly src: string,
    public pos: number,
    private readonly offset = 0,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.src.length
  }

  peek(): string {
    return this.src[this.pos] ?? ''
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.pos++
  }

  private fail(detail: string, at = this.pos): never {
    throw new ExpressionError('EXPRESSION_SYNTAX', detail, this.offset + at)
  }

  private expect(char: string): void {
    this.skipSpace()
    if (this.peek() !== char) this.fail(this.atEnd() ? `Expected "${char}" but the binding ended` : `Expected "${char}" but found "${this.peek()}"`)
    this.pos++
  }

  parseExpression(): ExpressionNode {
    let left = this.parsePrimary()
    for (;;) {
      this.skipSpace()
      const op = this.src.slice(this.pos, this.pos + 2)
      if (op === '??' || op === '||') {
        this.pos += 2
        const right = this.parsePrimary()
        left = { kind: 'fallback', op, left, right }
      } else {
        return left
      }
    }
  }

  private parsePrimary(): ExpressionNode {
    this.skipSpace()
    const c = this.peek()
    if (c === '') this.fail('The binding ended too early')
    if (c === '"' || c === "'") {
      const start = this.pos
      const text = this.readString()
      return text.includes('{{') ? parseTemplate(text, this.offset + start + 1) : { kind: 'literal', value: text }
    }
    if (c === '{') return this.parseObject()
    if (c === '[') return this.parseArray()
    if (c === '(') {
      this.pos++
      const inner = this.parseExpression()
      this.expect(')')
      return inner
    }
    if (c === '-' || /[0-9]/.test(c)) return { kind: 'literal', value: this.readNumber() }
    if (/[A-Za-z_$]/.test(c)) {
      const start = this.pos
      const word = this.readIdentifier()
      if (word === 'true') return { kind: 'literal', value: true }
      if (word === 'false') return { kind: 'literal', value: false }
      if (word === 'null') return { kind: 'literal', value: null }
      if (!ROOTS.has(word)) {
        throw new ExpressionError('EXPRESSION_UNKNOWN_ROOT', `Unknown name "${word}"`, this.offset + start)
      }
      return this.parsePath(word)
    }
    return this.fail(`Unexpected "${c}"`)
  }

  private parsePath(root: string): ExpressionNode {
    const segments: Array<string | number> = []
    for (;;) {
      const save = this.pos
      this.skipSpace()
      const c = this.peek()
      if (c === '.' && !this.src.startsWith('..', this.pos)) {
        this.pos++
        this.skipSpace()
        const at = this.pos
        if (!/[A-Za-z_$0-9]/.test(this.peek())) this.fail('Expected a property name after "."')
        const name = /[0-9]/.test(this.peek()) ? this.readDigits() : this.readIdentifier()
        segments.push(this.checkKey(name, at))
      } else if (c === '[') {
        this.pos++
        this.skipSpace()
        const at = this.pos
        const q = this.peek()
        if (q === '"' || q === "'") segments.push(this.checkKey(this.readString(), at))
        else if (/[0-9]/.test(q)) segments.push(Number(this.readDigits()))
        else this.fail('Expected a quoted name or an index inside "[ ]"')
        this.expect(']')
      } else {
        this.pos = save
        return { kind: 'path', root, segments }
      }
    }
  }

  private checkKey(key: string | number, at: number): string | number {
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
      throw new ExpressionError('EXPRESSION_FORBIDDEN_KEY', `"${key}" cannot be read`, this.offset + at)
    }
    return key
  }

  private parseObject(): ExpressionNode {
    this.pos++
    const entries: Array<{ key: string; value: ExpressionNode }> = []
    for (;;) {
      this.skipSpace()
      if (this.peek() === '}') {
        this.pos++
        return { kind: 'object', entries }
      }
      const at = this.pos
      const q = this.peek()
      let key: string
      if (q === '"' || q === "'") key = this.readString()
      else if (/[A-Za-z_$]/.test(q)) key = this.readIdentifier()
      else this.fail(this.atEnd() ? 'The object is not closed with "}"' : 'Expected a property name in the object')
      if (FORBIDDEN_KEYS.has(key)) throw new ExpressionError('EXPRESSION_FORBIDDEN_KEY', `"${key}" cannot be used as a key`, this.offset + at)
      this.expect(':')
      entries.push({ key, value: this.parseExpression() })
      this.skipSpace()
      if (this.peek() === ',') this.pos++
      else if (this.peek() !== '}') this.fail(this.atEnd() ? 'The object is not closed with "}"' : `Expected "," or "}" but found "${this.peek()}"`)
    }
  }

  private parseArray(): ExpressionNode {
    this.pos++
    const items: ExpressionNode[] = []
    for (;;) {
      this.skipSpace()
      if (this.peek() === ']') {
        this.pos++
        return { kind: 'array', items }
      }
      if (this.atEnd()) this.fail('The list is not closed with "]"')
      items.push(this.parseExpression())
      this.skipSpace()
      if (this.peek() === ',') this.pos++
      else if (this.peek() !== ']') this.fail(this.atEnd() ? 'The list is not closed with "]"' : `Expected "," or "]" but found "${this.peek()}"`)
    }
  }

  private readIdentifier(): string {
    const start = this.pos
    while (/[A-Za-z0-9_$-]/.test(this.peek())) {
      // NOTE: a dash is allowed inside names (channel names such as `room-1`), never at the start.
      this.pos++
    }
    return this.src.slice(start, this.pos)
  }

  private readDigits(): string {
    const start = this.pos
    while (/[0-9]/.test(this.peek())) this.pos++
    return this.src.slice(start, this.pos)
  }

  private readNumber(): number {
    const match = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.pos))
    if (!match) this.fail('Expected a number')
    this.pos += match[0].length
    return Number(match[0])
  }

  private readString(): string {
    const quote = this.peek()
    const start = this.pos
    this.pos++
    let out = ''
    while (!this.atEnd()) {
      const c = this.peek()
      if (c === quote) {
        this.pos++
        return out
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1] ?? ''
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next
        this.pos += 2
        continue
      }
      out += c
      this.pos++
    }
    return this.fail(`The text started here is not closed with ${quote}`, start)
  }
}
