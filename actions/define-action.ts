import type { FieldText, InputFields } from '../src/core/field-spec'
import type { CheckedInput, CheckedInputs } from './check-inputs'
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
  inputs: CheckedInputs
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
  fields: InputTexts<F>
  /** Sample of what the action resolves, for the editor's result explorer. */
  sampleResult: unknown
}

/** A {@link FieldText} whose label may be left out: the form then shows the input's own `label`. */
export type LabelledText = Omit<FieldText, 'label'> & { label?: string }

/**
 * The editor text of one input `I`: a {@link FieldText}, whose label is optional when the input has
 * one (the validator's name for the field is then the form's), plus the label of each choice of a
 * `select` (`options`, by value) and the text of each input of a `list` item (`item`).
 */
export type InputText<I> = LabelledText &
  // NOTE: a declared input without `label` needs one here; the wide `CheckedInput` (the manifest's view) does not.
  (I extends { label: string } ? unknown : CheckedInput extends I ? unknown : { label: string }) &
  (I extends { values: ReadonlyArray<infer V> } ? { options: Record<V & (string | number), string> } : unknown) &
  (I extends { item: infer T extends InputFields } ? { item: InputTexts<T> } : unknown)

/** The editor text of every input of `F`. */
export type InputTexts<F extends InputFields> = { [K in keyof F]: InputText<F[K]> }

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
