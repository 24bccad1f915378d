import {
  COMPONENT_BINDINGS,
  PAGE_EVENTS,
  type AppDefinition,
  type ComponentBindings,
  type FieldValue,
  type WorkflowDefinition,
  type WorkflowStep,
  type WorkflowTrigger,
} from './app-definition'

/** Why an imported file was refused, and what to do about it. */
export interface DefinitionProblem {
  code: 'INVALID_JSON' | 'NOT_AN_APP' | 'UNSUPPORTED_VERSION' | 'INVALID_APP'
  message: string
  fix: string
}

/** Result of reading an app definition: the app, or a problem. */
export type ParseResult = { data: AppDefinition; error: null } | { data: null; error: DefinitionProblem }

const PAGE_EVENT_IDS: ReadonlySet<string> = new Set(PAGE_EVENTS.map((e) => e.id))
const VARIABLE_TYPES: ReadonlySet<string> = new Set(['array', 'object', 'string', 'number', 'boolean'])
const NAME = /^[A-Za-z_$][\w$-]*$/

/** Reads an exported app definition from JSON text. */
export function parseAppDefinitionText(text: string): ParseResult {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return fail('INVALID_JSON', `The file is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, 'Import a file made with the Export button, unchanged or edited with care.')
  }
  return parseAppDefinition(raw)
}

/**
 * Checks that a value is a complete app definition and returns a clean copy. Every problem names the
 * place in the file (e.g. `workflows[2].steps[0].target`).
 */
export function parseAppDefinition(raw: unknown): ParseResult {
  if (!isRecord(raw) || raw.format !== 'realtime-playground-app') {
    return fail('NOT_AN_APP', 'This file is not a playground app definition (its "format" is not "realtime-playground-app").', 'Import a file made with the Export button.')
  }
  if (raw.version !== 1) {
    return fail('UNSUPPORTED_VERSION', `This app definition has version ${JSON.stringify(raw.version)}; this playground reads version 1.`, 'Export the app again from a playground of the same version.')
  }
  try {
    const data: AppDefinition = {
      format: 'realtime-playground-app',
      version: 1,
      name: str(raw.name, 'name'),
      inputs: list(raw.inputs, 'inputs').map((input, i) => {
        const at = `inputs[${i}]`
        const rec = record(input, at)
        return { name: name(rec.name, `${at}.name`), label: str(rec.label, `${at}.label`), default: str(rec.default, `${at}.default`) }
      }),
      variables: list(raw.variables, 'variables').map((variable, i) => {
        const at = `variables[${i}]`
        const rec = record(variable, at)
        const type = str(rec.type, `${at}.type`)
        if (!VARIABLE_TYPES.has(type)) throw new Problem(`${at}.type must be one of array, object, string, number, boolean.`)
        return { name: name(rec.name, `${at}.name`), type: type as AppDefinition['variables'][number]['type'], default: rec.default ?? null }
      }),
      workflows: list(raw.workflows, 'workflows').map((workflow, i) => parseWorkflow(workflow, `workflows[${i}]`)),
      bindings: parseBindings(raw.bindings),
    }
    return { data, error: null }
  } catch (error) {
    if (error instanceof Problem) return fail('INVALID_APP', error.message, 'Fix this place in the file, or export the app again.')
    throw error
  }
}

function parseWorkflow(raw: unknown, at: string): WorkflowDefinition {
  const rec = record(raw, at)
  return {
    id: str(rec.id, `${at}.id`),
    name: str(rec.name, `${at}.name`),
    trigger: parseTrigger(rec.trigger, `${at}.trigger`),
    steps: list(rec.steps, `${at}.steps`).map((step, i) => parseStep(step, `${at}.steps[${i}]`)),
  }
}

function parseTrigger(raw: unknown, at: string): WorkflowTrigger {
  const rec = record(raw, at)
  if (rec.type === 'page') {
    const event = str(rec.event, `${at}.event`)
    if (!PAGE_EVENT_IDS.has(event)) throw new Problem(`${at}.event "${event}" is not a page event.`)
    return { type: 'page', event: event as Extract<WorkflowTrigger, { type: 'page' }>['event'] }
  }
  if (rec.type === 'plugin') {
    const conditions: Record<string, string | null> = {}
    for (const [key, value] of Object.entries(record(rec.conditions ?? {}, `${at}.conditions`))) {
      if (value !== null && typeof value !== 'string') throw new Problem(`${at}.conditions.${key} must be text or null.`)
      conditions[key] = value
    }
    return { type: 'plugin', triggerId: str(rec.triggerId, `${at}.triggerId`), conditions }
  }
  throw new Problem(`${at}.type must be "page" or "plugin".`)
}

function parseStep(raw: unknown, at: string): WorkflowStep {
  const rec = record(raw, at)
  const id = str(rec.id, `${at}.id`)
  if (rec.type === 'action') {
    const values: Record<string, FieldValue> = {}
    for (const [key, value] of Object.entries(record(rec.values ?? {}, `${at}.values`))) values[key] = parseFieldValue(value, `${at}.values.${key}`)
    return { id, type: 'action', actionId: str(rec.actionId, `${at}.actionId`), values }
  }
  if (rec.type === 'change-variable') {
    if (rec.mode !== 'set' && rec.mode !== 'append') throw new Problem(`${at}.mode must be "set" or "append".`)
    return { id, type: 'change-variable', target: str(rec.target, `${at}.target`), mode: rec.mode, value: parseFieldValue(rec.value, `${at}.value`) }
  }
  throw new Problem(`${at}.type must be "action" or "change-variable".`)
}

function parseFieldValue(raw: unknown, at: string): FieldValue {
  const rec = record(raw, at)
  if (rec.mode === 'bind') return { mode: 'bind', expression: str(rec.expression, `${at}.expression`) }
  if (rec.mode === 'static') return { mode: 'static', value: rec.value }
  throw new Problem(`${at}.mode must be "static" or "bind".`)
}

function parseBindings(raw: unknown): ComponentBindings {
  const rec = record(raw, 'bindings')
  const out: Partial<ComponentBindings> = {}
  for (const { key } of COMPONENT_BINDINGS) out[key] = str(rec[key] ?? '', `bindings.${key}`)
  return out as ComponentBindings
}

class Problem extends Error {}

function fail(code: DefinitionProblem['code'], message: string, fix: string): ParseResult {
  return { data: null, error: { code, message, fix } }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Problem(`${at} must be an object.`)
  return value
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new Problem(`${at} must be a list.`)
  return value
}

function str(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new Problem(`${at} must be text.`)
  return value
}

function name(value: unknown, at: string): string {
  const text = str(value, at)
  if (!NAME.test(text)) throw new Problem(`${at} "${text}" must start with a letter and use only letters, digits, _ or -.`)
  return text
}
