import type { FieldSpec, ValidationIssue } from '../../editor-config/manifest-types'
import type { ChangeVariableStep, WorkflowDefinition, WorkflowStep } from './app-definition'
import { buildActionInput } from './build-action-input'
import type { ExpressionScope } from './evaluate-expression'
import { isExpressionError } from './expression-error'
import { InvalidJsonError, resolveFieldValue } from './resolve-field-value'

/** What a workflow run needs from its host page. Everything is injected, so the runner is plain TS. */
export interface WorkflowRuntime {
  /** The manifest fields of an action, or `undefined` when the plugin has no such action. */
  fieldsOf(actionId: string): readonly FieldSpec[] | undefined
  /** The action's own validator (the one the plugin runs before executing). */
  validate(actionId: string, input: Record<string, unknown>): ValidationIssue[]
  execute(actionId: string, input: Record<string, unknown>): Promise<unknown>
  /** Current variables and page inputs, read at each step so later steps see earlier changes. */
  scope(event: unknown): ExpressionScope
  setVariable(name: string, value: unknown): void
  setInput(name: string, value: unknown): void
  readVariable(name: string): unknown
  readInput(name: string): unknown
  /** Why actions cannot run right now (e.g. the plugin is not connected), or `null`. */
  unavailable?(): { code: string; message: string; fix: string } | null
}

/** Why a run stopped. `issues` lists every invalid field when the step never ran. */
export interface RunFailure {
  stepIndex: number
  stepId: string
  code: string
  message: string
  fix: string
  field?: string
  issues: ValidationIssue[]
}

/** Outcome of one step. */
export interface StepOutcome {
  stepId: string
  status: 'ok' | 'failed' | 'skipped'
  input?: Record<string, unknown>
  result?: unknown
}

/** Outcome of a run, for the run log and the inspector. */
export interface WorkflowRun {
  workflowId: string
  workflowName: string
  startedAt: number
  finishedAt: number
  status: 'ok' | 'failed'
  steps: StepOutcome[]
  failure: RunFailure | null
}

/**
 * Runs a workflow's steps in order. A step whose fields are invalid is not executed: the run stops with
 * every issue listed, so nothing is sent. An action that rejects stops the run with the action's error.
 */
export async function runWorkflow(workflow: WorkflowDefinition, runtime: WorkflowRuntime, event: unknown): Promise<WorkflowRun> {
  const startedAt = Date.now()
  const steps: StepOutcome[] = workflow.steps.map((step) => ({ stepId: step.id, status: 'skipped' }))
  const finish = (failure: RunFailure | null): WorkflowRun => ({
    workflowId: workflow.id,
    workflowName: workflow.name,
    startedAt,
    finishedAt: Date.now(),
    status: failure ? 'failed' : 'ok',
    steps,
    failure,
  })
  for (const [stepIndex, step] of workflow.steps.entries()) {
    const outcome = steps[stepIndex]
    if (!outcome) continue
    const failure = step.type === 'action' ? await runActionStep(step, runtime, event, outcome) : runChangeVariableStep(step, runtime, event, outcome)
    if (failure) {
      outcome.status = 'failed'
      return finish({ ...failure, stepIndex, stepId: step.id })
    }
    outcome.status = 'ok'
  }
  return finish(null)
}

type StepFailure = Omit<RunFailure, 'stepIndex' | 'stepId'>

async function runActionStep(step: Extract<WorkflowStep, { type: 'action' }>, runtime: WorkflowRuntime, event: unknown, outcome: StepOutcome): Promise<StepFailure | null> {
  const unavailable = runtime.unavailable?.() ?? null
  if (unavailable) return { ...unavailable, issues: [] }
  const fields = runtime.fieldsOf(step.actionId)
  if (!fields) {
    return { code: 'UNKNOWN_ACTION', message: `The action "${step.actionId}" does not exist in the plugin.`, fix: 'Remove this step and add it again from the list of actions.', issues: [] }
  }
  const built = buildActionInput(fields, step.values, runtime.scope(event))
  outcome.input = built.input
  const issues = built.issues.length > 0 ? built.issues : runtime.validate(step.actionId, built.input)
  if (issues.length > 0) return fromIssues(issues)
  try {
    outcome.result = await runtime.execute(step.actionId, built.input)
    return null
  } catch (error) {
    return fromError(error)
  }
}

function runChangeVariableStep(step: ChangeVariableStep, runtime: WorkflowRuntime, event: unknown, outcome: StepOutcome): StepFailure | null {
  const match = /^(variables|inputs)\.([A-Za-z_$][\w$-]*)$/.exec(step.target)
  if (!match) {
    const issue = { field: 'target', code: 'INVALID_TARGET', message: `"${step.target}" is not a variable or page input.`, fix: 'Pick a variable (variables.name) or a page input (inputs.name) to change.' }
    return fromIssues([issue])
  }
  const [, kind, name = ''] = match
  let value: unknown
  try {
    value = resolveFieldValue({ type: 'text' }, step.value, runtime.scope(event))
  } catch (error) {
    const message = isExpressionError(error) || error instanceof InvalidJsonError ? error.message : String(error)
    const fix = isExpressionError(error) ? error.fix : 'Check the value of this step.'
    return fromIssues([{ field: 'value', code: isExpressionError(error) ? error.code : 'FIELD_FAILED', message: `Value: ${message}`, fix }])
  }
  const current = kind === 'variables' ? runtime.readVariable(name) : runtime.readInput(name)
  let next = value
  if (step.mode === 'append') {
    if (current !== undefined && current !== null && !Array.isArray(current)) {
      return fromIssues([{ field: 'target', code: 'NOT_A_LIST', message: `${step.target} is not a list, so nothing can be appended to it.`, fix: 'Use "Set" instead of "Append", or pick a list variable.' }])
    }
    next = [...((current as unknown[] | null | undefined) ?? []), value]
  }
  if (kind === 'variables') runtime.setVariable(name, next)
  else runtime.setInput(name, next)
  outcome.result = next
  return null
}

function fromIssues(issues: ValidationIssue[]): StepFailure {
  const first = issues[0]
  return {
    code: 'INVALID_INPUT',
    message: issues.map((issue) => issue.message).join(' '),
    fix: first?.fix ?? 'Check the fields of this step.',
    ...(first ? { field: first.field } : {}),
    issues,
  }
}

function fromError(error: unknown): StepFailure {
  const record = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : {}
  const message = error instanceof Error ? error.message : String(error)
  const code = typeof record.code === 'string' ? record.code : 'ACTION_FAILED'
  const fix = typeof record.fix === 'string' ? record.fix : 'Check the step configuration and the connection settings, then try again.'
  const details = record.details !== null && typeof record.details === 'object' ? (record.details as Record<string, unknown>) : {}
  const field = typeof record.field === 'string' ? record.field : typeof details.field === 'string' ? details.field : undefined
  const rawIssues = Array.isArray(record.issues) ? record.issues : Array.isArray(details.issues) ? details.issues : []
  const issues = rawIssues.filter(isIssue)
  return { code, message, fix, ...(field ? { field } : {}), issues }
}

function isIssue(value: unknown): value is ValidationIssue {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return typeof v.field === 'string' && typeof v.message === 'string'
}
