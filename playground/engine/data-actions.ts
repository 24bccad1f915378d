import type { SupabaseClient } from '@supabase/supabase-js'
import type { ActionSpec, ValidationIssue } from '../../editor-config/manifest-types'

/**
 * Playground-only stand-ins for WeWeb's Supabase data actions ("Insert", "Update"): they write with
 * supabase-js through the REST API (`from(table).insert/update`), and the change comes back to the
 * page through Realtime like any other. They are not part of the plugin.
 */
export interface DataAction {
  spec: ActionSpec
  validate(input: Record<string, unknown>): ValidationIssue[]
  execute(client: SupabaseClient, input: Record<string, unknown>): Promise<unknown>
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

function requireTable(input: Record<string, unknown>): ValidationIssue[] {
  const table = input.table
  return typeof table === 'string' && table.trim() !== ''
    ? []
    : [{ field: 'table', code: 'REQUIRED', message: 'Table is required.', fix: 'Enter the table to write to, e.g. todos.' }]
}

function requireValues(input: Record<string, unknown>): ValidationIssue[] {
  return isObject(input.values) && Object.keys(input.values).length > 0
    ? []
    : [{ field: 'values', code: 'INVALID_VALUE', message: 'Values must be an object with at least one column.', fix: 'Enter the columns to write, e.g. { "task": "Call back" }.' }]
}

/** Throws the PostgREST error of a failed write, with its code and hint. */
function check(result: { error: { message: string; code: string; hint: string | null } | null }, what: string): void {
  if (result.error) {
    const hint = result.error.hint ? ` ${result.error.hint}` : ''
    throw Object.assign(new Error(`${what} failed: ${result.error.message} (${result.error.code}).${hint}`), { code: result.error.code })
  }
}

const tableField = { name: 'table', type: 'text', label: 'Table', tooltip: 'The table to write to.', required: true, bindable: true, placeholder: 'todos' } as const
const valuesField = { name: 'values', type: 'json', label: 'Values', tooltip: 'The columns to write, as an object.', required: true, bindable: true, default: {} } as const

const insertRow: DataAction = {
  spec: {
    id: 'supabase-insert',
    name: 'Supabase | Insert row',
    label: 'Insert row (Supabase)',
    description: 'Playground stand-in for the Supabase plugin\'s Insert action: inserts one row with supabase-js.',
    isAsync: true,
    fields: [tableField, valuesField],
    sampleResult: { id: 1 },
  },
  validate: (input) => [...requireTable(input), ...requireValues(input)],
  async execute(client, input) {
    const result = await client.from(String(input.table)).insert(input.values as Record<string, unknown>).select().single()
    check(result, `Insert into ${String(input.table)}`)
    return result.data
  },
}

const updateRows: DataAction = {
  spec: {
    id: 'supabase-update',
    name: 'Supabase | Update rows',
    label: 'Update rows (Supabase)',
    description: 'Playground stand-in for the Supabase plugin\'s Update action: updates the rows whose column equals a value, with supabase-js.',
    isAsync: true,
    fields: [
      tableField,
      valuesField,
      { name: 'matchColumn', type: 'text', label: 'Where column', tooltip: 'Rows whose column equals the value below are updated.', required: true, bindable: true, default: 'id' },
      { name: 'matchValue', type: 'text', label: 'Equals', tooltip: 'The value the column must equal, e.g. a row id.', required: true, bindable: true },
    ],
    sampleResult: [{ id: 1 }],
  },
  validate(input) {
    const issues = [...requireTable(input), ...requireValues(input)]
    if (typeof input.matchColumn !== 'string' || input.matchColumn.trim() === '') {
      issues.push({ field: 'matchColumn', code: 'REQUIRED', message: 'Where column is required.', fix: 'Enter the column that identifies the rows, e.g. id.' })
    }
    if (input.matchValue === undefined || input.matchValue === null || input.matchValue === '') {
      issues.push({ field: 'matchValue', code: 'REQUIRED', message: 'Equals is required.', fix: 'Bind it to the row to update, e.g. event.id.' })
    }
    return issues
  },
  async execute(client, input) {
    const result = await client.from(String(input.table)).update(input.values as Record<string, unknown>).eq(String(input.matchColumn), input.matchValue).select()
    check(result, `Update of ${String(input.table)}`)
    return result.data
  },
}

/** The playground's data actions, by id. */
export const DATA_ACTIONS: ReadonlyMap<string, DataAction> = new Map([insertRow, updateRows].map((action) => [action.spec.id, action]))
