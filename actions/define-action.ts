import type { FieldTexts, InputFields } from '../src/core/field-spec'
import { invalidInput } from '../src/core/errors'
import type { ValidationIssue } from '../src/core/validation'
import type { RealtimeRuntime } from '../src/runtime/realtime-runtime'

/** Fixed action ids (the editor forms and the acceptance checks use them). */
export type ActionId = 'subscribe' | 'broadcast' | 'presence' | 'unsubscribe' | 'shareCursor' | 'stopCursor' | 'setLiveState'

/** What an action may use: everything comes through here, nothing from globals. */
export interface ActionContext {
  runtime: RealtimeRuntime
}

/**
 * One workflow action as the runtime runs it: its inputs (kind, default, choices, bounds), pure
 * validation (shared with the editor), then execution. Editor text lives in its {@link ActionEditor}.
 */
export interface ActionDefinition<I, O> {
  id: ActionId
  /** "Category | Label" as WeWeb lists it. */
  name: string
  /** Every input, in form order; the validator and the runtime read bounds and defaults from here. */
  inputs: InputFields
  /** Every problem of the input; empty when the action may run. The editor calls the same function. */
  validate(input: unknown): ValidationIssue[]
  /** Runs with an input that passed `validate`. */
  execute(input: I, ctx: ActionContext): Promise<O>
}

/**
 * What only the editor shows of an action whose inputs are `F`: its label, description, the text
 * of each input and a sample result. Declared next to the action, imported only by `editor-config/`,
 * so the runtime bundle leaves it out.
 */
export interface ActionEditor<F extends InputFields> {
  label: string
  /** First sentence is the editor tooltip. */
  description: string
  fields: FieldTexts<F>
  /** Sample of what the action resolves, for the editor's result explorer. */
  sampleResult: unknown
}

/** Declares an action (identity function that fixes the types). */
export function defineAction<I, O>(definition: ActionDefinition<I, O>): ActionDefinition<I, O> {
  return definition
}

/** Validates, then executes; throws `INVALID_INPUT` listing every issue before anything is sent. */
export async function runAction<I, O>(definition: ActionDefinition<I, O>, input: unknown, ctx: ActionContext): Promise<O> {
  const issues = definition.validate(input)
  if (issues.length > 0) throw invalidInput(issues)
  return definition.execute(input as I, ctx)
}
