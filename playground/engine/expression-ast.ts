/** Syntax tree of a binding expression. Plain data: safe to cache and to serialize. */
export type ExpressionNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'path'; root: string; segments: Array<string | number> }
  | { kind: 'object'; entries: Array<{ key: string; value: ExpressionNode }> }
  | { kind: 'array'; items: ExpressionNode[] }
  | { kind: 'fallback'; op: '??' | '||'; left: ExpressionNode; right: ExpressionNode }

/** A piece of a template string: literal text or an embedded expression. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expression'; node: ExpressionNode }

/** Names an expression may start with. */
export const EXPRESSION_ROOTS = ['event', 'variables', 'inputs', 'item'] as const

/** Property names that are never read, whatever the object. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor'])
