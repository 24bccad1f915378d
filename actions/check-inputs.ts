import type { InputField } from '../src/core/field-spec'
import { asRecord, describe, isBlank, isPlainObject, issue, optionalBoolean, optionalNumber, requireText, type ValidationIssue } from '../src/core/validation'

/**
 * One input as the validator reads it: the runtime half of the field ({@link InputField}) plus
 * what the generic checks need to word their advice. An input without `label` is left to the
 * action's own checks.
 */
export interface CheckedInput extends InputField {
  /** How validation messages name the field, e.g. `Timeout`. Runtime text, short. */
  label?: string
  /**
   * What to enter: for `text` e.g. `an event name, e.g. message`; for `json` an object (and what
   * else goes) e.g. `{ "text": "hello" }`; for `list` one item, e.g. `{ "table": "messages" }`.
   */
  example?: string
  /** For `select`: also accept the upper case of a choice (`insert` for `INSERT`). @default false */
  ignoreCase?: boolean
  /** Checked only when this other (boolean) input of the same object is on. */
  when?: string
  /** Replaces the generic check, e.g. `validateChannelName`. */
  check?: (value: unknown, field: string) => ValidationIssue[]
  item?: CheckedInputs
}

/** The inputs of a form as the validator reads them, by field name (a dotted path), in form order. */
export type CheckedInputs = Readonly<Record<string, CheckedInput>>

/**
 * The generic checks of every labelled input of `inputs` (kind, required, choices, bounds, list
 * items), in form order. `at` prefixes the field paths and `of` names the list item, e.g.
 * `postgresChanges[0].` and ` (Database changes 1)`.
 */
export function checkInputs(inputs: CheckedInputs, values: unknown, at = '', of = ''): ValidationIssue[] {
  const v = asRecord(values)
  const issues: ValidationIssue[] = []
  for (const [name, input] of Object.entries(inputs)) {
    const { label, when } = input
    if (!label || (when && v[when] !== true)) continue
    const [head, key] = name.split('.') as [string, string?]
    let value = v[head]
    if (key !== undefined) {
      if (!isPlainObject(value)) {
        // NOTE: `broadcast.self` and `broadcast.ack` share one parent: report a wrong parent once.
        if (value != null && !issues.some((i) => i.field === at + head)) {
          issues.push(wrongType(at + head, head, 'an object', value, `Use an object such as ${JSON.stringify({ [key]: input.default ?? '' })}, or leave it empty.`))
        }
        continue
      }
      value = value[key]
    }
    issues.push(...checkInput(input, value, at + name, label + of))
  }
  return issues
}

/** `label` must be `kind` (an object, a list, text), with the advice `fix`. */
function wrongType(field: string, label: string, kind: string, value: unknown, fix: string): ValidationIssue {
  return issue(field, 'INVALID_TYPE', `${label} must be ${kind}, but got ${describe(value)}.`, fix)
}

function checkInput(input: CheckedInput, value: unknown, field: string, label: string): ValidationIssue[] {
  const { type, example = 'text', values, item, required } = input
  if (input.check) return input.check(value, field)
  if (type === 'boolean') return optionalBoolean(value, field, label)
  if (type === 'number') return optionalNumber(value, field, label, input.min ?? -Infinity, input.max ?? Infinity)
  if (type === 'text' && required) return requireText(value, field, label, example)
  if (type === 'json' || item) {
    // NOTE: `null` is an empty object or list (a blank text is not).
    const fix = `Use an object such as ${example}.`
    if (value === undefined && required) return [issue(field, 'REQUIRED', `${label} is required.`, fix)]
    if (value == null) return []
    if (!item) return isPlainObject(value) ? [] : [wrongType(field, label, 'an object', value, fix)]
    if (!Array.isArray(value)) return [wrongType(field, label, 'a list', value, `Use a list such as [${example}], or leave it empty.`)]
    return value.flatMap((element: unknown, i) => {
      const name = `${label} ${i + 1}`
      return isPlainObject(element) ? checkInputs(item, element, `${field}[${i}].`, ` (${name})`) : [wrongType(`${field}[${i}]`, name, 'an object', element, fix)]
    })
  }
  if (isBlank(value)) return required ? [issue(field, 'REQUIRED', `${label} is required.`, `Pick ${values?.join(', ')}.`)] : []
  if (values) {
    const choice = input.ignoreCase && typeof value === 'string' ? value.toUpperCase() : value
    if (values.includes(choice as string)) return []
    return [issue(field, 'INVALID_VALUE', `${label} must be one of ${values.join(', ')}, but got ${describe(value)}.`, `Pick ${values.join(', ')}.`)]
  }
  return typeof value === 'string' ? [] : [wrongType(field, label, 'text', value, `Enter ${example}, or leave it empty.`)]
}
