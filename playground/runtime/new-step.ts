import type { ActionSpec } from '../../editor-config/manifest-types'
import { cloneJson } from '../engine/clone-json'
import type { ActionStep, AppDefinition, ChangeVariableStep, FieldValue } from '../engine/app-definition'

function defaultValue(spec: ActionSpec['fields'][number]): FieldValue | undefined {
  if (spec.default === undefined) {
    if (spec.type === 'text' || spec.type === 'textarea') return { mode: 'static', value: '' }
    if (spec.type === 'list') return { mode: 'static', value: [] }
    return undefined
  }
  if (spec.type === 'json' && typeof spec.default !== 'string') return { mode: 'static', value: JSON.stringify(spec.default, null, 2) }
  return { mode: 'static', value: cloneJson(spec.default) }
}

/** New steps with the defaults of the manifest. */
export const newStep = {
  action(id: string, spec: ActionSpec): ActionStep {
    const values: Record<string, FieldValue> = {}
    for (const field of spec.fields) {
      const value = defaultValue(field)
      if (value) values[field.name] = value
    }
    return { id, type: 'action', actionId: spec.id, values }
  },
  changeVariable(id: string, app: AppDefinition): ChangeVariableStep {
    const first = app.variables[0]
    return { id, type: 'change-variable', target: first ? `variables.${first.name}` : 'inputs.message', mode: 'set', value: { mode: 'static', value: '' } }
  },
}
