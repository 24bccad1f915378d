import { computed, type ComputedRef } from 'vue'
import type { ComponentBindings } from '../engine/app-definition'
import { evaluateExpression, type ExpressionScope } from '../engine/evaluate-expression'
import { isExpressionError } from '../engine/expression-error'
import { usePlayground } from './use-playground'

/** A bound value and, when the binding is broken, why. */
export interface BoundValue {
  value: unknown
  error: string | null
}

/** Evaluates an expression safely: a broken binding gives `undefined` and an error text. */
export function evaluateSafely(expression: string, scope: ExpressionScope): BoundValue {
  if (expression.trim() === '') return { value: undefined, error: null }
  try {
    return { value: evaluateExpression(expression, scope), error: null }
  } catch (error) {
    return { value: undefined, error: isExpressionError(error) ? `${error.message} ${error.fix}` : String(error) }
  }
}

/** A component property bound through the app's bindings, re-evaluated when anything it reads changes. */
export function useBinding(key: keyof ComponentBindings): ComputedRef<BoundValue> {
  const playground = usePlayground()
  return computed(() => evaluateSafely(playground.definition.value.bindings[key], playground.scope()))
}

/** Evaluates an item-level binding (e.g. `item.name`) for one list item. */
export function evaluateForItem(expression: string, item: unknown, base: ExpressionScope): unknown {
  return evaluateSafely(expression, { ...base, item }).value
}
