import type { ExpressionNode } from './expression-ast'
import { parseExpression } from './parse-expression'
import { readProperty } from './read-property'

/** What an expression can read: the trigger event, variables, page inputs and the current list item. */
export interface ExpressionScope {
  event?: unknown
  variables?: unknown
  inputs?: unknown
  item?: unknown
}

/** Evaluates a parsed expression against a scope. Reading a missing path gives `undefined`, never an error. */
export function evaluateNode(node: ExpressionNode, scope: ExpressionScope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value
    case 'template':
      if (node.parts.length === 1 && node.parts[0]?.kind === 'expression') return evaluateNode(node.parts[0].node, scope)
      return node.parts.map((part) => (part.kind === 'text' ? part.text : stringifyValue(evaluateNode(part.node, scope)))).join('')
    case 'path': {
      let value = readProperty(scope, node.root)
      for (const segment of node.segments) value = readProperty(value, segment)
      return value
    }
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const entry of node.entries) out[entry.key] = evaluateNode(entry.value, scope)
      return out
    }
    case 'array':
      return node.items.map((item) => evaluateNode(item, scope))
    case 'fallback': {
      const left = evaluateNode(node.left, scope)
      const useRight = node.op === '??' ? left === null || left === undefined : !left
      return useRight ? evaluateNode(node.right, scope) : left
    }
  }
}

/** Parses (with a cache) and evaluates an expression. Throws `ExpressionError` on bad syntax. */
export function evaluateExpression(source: string, scope: ExpressionScope): unknown {
  return evaluateNode(parseExpression(source), scope)
}

/** Turns a value into display text: `null`/`undefined` become empty, objects become JSON. */
export function stringifyValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}
