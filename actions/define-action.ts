import type { ValidationIssue } from '../src/core/validation'
import { invalidInput } from '../src/core/errors'
import type { RealtimeRuntime } from '../src/runtime/realtime-runtime'

/** Fixed action ids (the editor forms and the acceptance checks use them). */
export type ActionId = 'subscribe' | 'broadcast' | 'presence' | 'unsubscribe'

/** What an action may use: everything comes through here, nothing from globals. */
export interface ActionContext {
  runtime: RealtimeRuntime
}

/** One workflow action: pure validation (shared with the editor), then execution. */
export interface ActionDefinition<I, O> {
  id: ActionId
  /** "Category | Label" as WeWeb shows it. */
  name: string
  label: string
  /** First sentence is the editor tooltip. */
  description: string
  /** Every problem of the input; empty when the action may run. The editor calls the same function. */
  validate(input: unknown): ValidationIssue[]
  /** Runs with an input that passed `validate`. */
  execute(input: I, ctx: ActionContext): Promise<O>
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
