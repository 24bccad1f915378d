import { FORBIDDEN_KEYS } from './expression-ast'
import { evaluateNode, type ExpressionScope } from './evaluate-expression'
import { parseTemplate } from './parse-expression'

/**
 * Renders text that may contain `{{ expression }}` placeholders. Text that is exactly one placeholder
 * keeps the value's type (a number stays a number); otherwise values are joined as text.
 */
export function renderTemplate(text: string, scope: ExpressionScope): unknown {
  if (!text.includes('{{')) return text
  return evaluateNode(parseTemplate(text), scope)
}

/** Renders every string inside a JSON-like value as a template, leaving other values as they are. */
export function renderDeep(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') return renderTemplate(value, scope)
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, scope))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) {
      if (!FORBIDDEN_KEYS.has(key)) out[key] = renderDeep(inner, scope)
    }
    return out
  }
  return value
}
