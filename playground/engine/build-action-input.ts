import type { FieldSpec, ValidationIssue } from '../../editor-config/manifest-types'
import type { FieldValue } from './app-definition'
import type { ExpressionScope } from './evaluate-expression'
import { isExpressionError } from './expression-error'
import { InvalidJsonError, resolveFieldValue } from './resolve-field-value'
import { getDotted, setDotted } from './set-dotted'

/** The action input built from a step, and the problems met while building it. */
export interface BuiltActionInput {
  input: Record<string, unknown>
  issues: ValidationIssue[]
}

/** Whether a field is shown, given the values of the other fields (its `visibleIf`). */
export function isFieldVisible(spec: FieldSpec, values: Record<string, unknown>): boolean {
  if (!spec.visibleIf) return true
  const current = getDotted(values, spec.visibleIf.field)
  return spec.visibleIf.equals.some((expected) => expected === current || (expected === null && current === undefined))
}

/**
 * Builds an action's input from the step's field values, in the order of the manifest. Hidden fields are
 * left out; empty optional fields are left out so the action applies its default; a required field that
 * is empty is kept as `''` so the action's own validator reports it.
 */
export function buildActionInput(fields: readonly FieldSpec[], values: Readonly<Record<string, FieldValue>>, scope: ExpressionScope): BuiltActionInput {
  const input: Record<string, unknown> = {}
  const issues: ValidationIssue[] = []
  for (const spec of fields) {
    if (!isFieldVisible(spec, input)) continue
    let resolved: unknown
    try {
      resolved = resolveFieldValue(spec, values[spec.name], scope)
    } catch (error) {
      issues.push(toIssue(spec, error))
      continue
    }
    if (resolved === undefined || (resolved === '' && !spec.required)) {
      if (spec.required) setDotted(input, spec.name, '')
      continue
    }
    setDotted(input, spec.name, resolved)
  }
  return { input, issues }
}

function toIssue(spec: FieldSpec, error: unknown): ValidationIssue {
  if (isExpressionError(error)) {
    return { field: spec.name, code: error.code, message: `${spec.label}: ${error.message}`, fix: error.fix }
  }
  if (error instanceof InvalidJsonError) {
    return {
      field: spec.name,
      code: 'INVALID_JSON',
      message: `${spec.label} is not valid JSON (${error.message}).`,
      fix: 'Write JSON such as {"text": "{{ inputs.message }}"}, or switch to Bind and write { text: inputs.message }.',
    }
  }
  return { field: spec.name, code: 'FIELD_FAILED', message: `${spec.label}: ${String(error)}`, fix: 'Check the value of this field.' }
}
