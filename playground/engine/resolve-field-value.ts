import type { FieldSpec } from '../../editor-config/manifest-types'
import type { FieldValue } from './app-definition'
import { evaluateExpression, type ExpressionScope } from './evaluate-expression'
import { renderDeep } from './render-template'

/** A JSON text that could not be read, reported as a validation issue by the caller. */
export class InvalidJsonError extends Error {
  override readonly name = 'InvalidJsonError'
}

/**
 * Turns a step's field value into the value sent to the action. Typed-in text is rendered as a template,
 * JSON text is parsed (its strings rendered as templates), numbers are converted, and bound values are
 * evaluated. Returns `undefined` for an empty optional field. Throws `ExpressionError` or `InvalidJsonError`.
 */
export function resolveFieldValue(spec: Pick<FieldSpec, 'type'>, value: FieldValue | undefined, scope: ExpressionScope): unknown {
  if (!value) return undefined
  if (value.mode === 'bind') {
    if (value.expression.trim() === '') return undefined
    return evaluateExpression(value.expression, scope)
  }
  const raw = value.value
  switch (spec.type) {
    case 'number':
      if (raw === '' || raw === null || raw === undefined) return undefined
      return typeof raw === 'number' ? raw : Number(raw)
    case 'boolean':
      return raw === undefined ? undefined : raw === true || raw === 'true'
    case 'json': {
      if (typeof raw !== 'string') return renderDeep(raw, scope)
      if (raw.trim() === '') return undefined
      let parsed: unknown
      try {
        parsed = JSON.parse(raw)
      } catch (error) {
        throw new InvalidJsonError(error instanceof Error ? error.message : String(error))
      }
      return renderDeep(parsed, scope)
    }
    default:
      return renderDeep(raw, scope)
  }
}
