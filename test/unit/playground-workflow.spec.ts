import { describe, expect, it } from 'vitest'
import type { FieldSpec, ValidationIssue } from '../../editor-config/manifest-types'
import type { WorkflowDefinition } from '../../playground/engine/app-definition'
import { buildActionInput, isFieldVisible } from '../../playground/engine/build-action-input'
import { runWorkflow, type WorkflowRuntime } from '../../playground/engine/run-workflow'

const field = (name: string, type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type,
  label: name,
  tooltip: '',
  required: false,
  bindable: true,
  ...extra,
})

const broadcastFields = [field('channel', 'text', { label: 'Channel', required: true }), field('event', 'text', { label: 'Event', required: true }), field('payload', 'json', { label: 'Payload' })]
const subscribeFields = [
  field('channel', 'text', { required: true }),
  field('broadcast.self', 'boolean'),
  field('presence.enabled', 'boolean'),
  field('presence.key', 'text', { visibleIf: { field: 'presence.enabled', equals: [true] } }),
  field('timeoutMs', 'number'),
  field('postgresChanges', 'list'),
]

function requireText(input: Record<string, unknown>, name: string, label: string): ValidationIssue[] {
  const value = input[name]
  return typeof value === 'string' && value.trim() !== '' ? [] : [{ field: name, code: 'REQUIRED', message: `${label} is required.`, fix: `Type a ${label.toLowerCase()}.` }]
}

/** A runtime over plain objects; `executed` records what would have been sent. */
function createRuntime(options: { reject?: unknown } = {}) {
  const variables: Record<string, unknown> = { chatLog: [], title: 'x', presence: { chat: { count: 3 } } }
  const inputs: Record<string, unknown> = { name: 'Ada', message: 'Hello' }
  const executed: Array<{ actionId: string; input: Record<string, unknown> }> = []
  const runtime: WorkflowRuntime = {
    fieldsOf: (id) => ({ broadcast: broadcastFields, subscribe: subscribeFields })[id],
    validate: (id, input) => (id === 'broadcast' ? [...requireText(input, 'channel', 'Channel'), ...requireText(input, 'event', 'Event')] : requireText(input, 'channel', 'Channel')),
    execute: (actionId, input) => {
      executed.push({ actionId, input })
      return options.reject ? Promise.reject(options.reject) : Promise.resolve({ status: 'ok' })
    },
    scope: (event) => ({ event, variables: { ...variables }, inputs: { ...inputs } }),
    setVariable: (name, value) => {
      variables[name] = value
    },
    setInput: (name, value) => {
      inputs[name] = value
    },
    readVariable: (name) => variables[name],
    readInput: (name) => inputs[name],
  }
  return { runtime, variables, inputs, executed }
}

const sendWorkflow: WorkflowDefinition = {
  id: 'send',
  name: 'Send',
  trigger: { type: 'page', event: 'send-click' },
  steps: [
    {
      id: 's1',
      type: 'action',
      actionId: 'broadcast',
      values: {
        channel: { mode: 'static', value: 'chat' },
        event: { mode: 'static', value: 'message' },
        payload: { mode: 'bind', expression: '{ name: inputs.name, text: inputs.message }' },
      },
    },
    { id: 's2', type: 'change-variable', target: 'inputs.message', mode: 'set', value: { mode: 'static', value: '' } },
  ],
}

describe('buildActionInput', () => {
  it('nests dotted field names and converts typed-in values', () => {
    const built = buildActionInput(
      subscribeFields,
      {
        channel: { mode: 'static', value: 'room-{{ inputs.name }}' },
        'broadcast.self': { mode: 'static', value: true },
        'presence.enabled': { mode: 'static', value: true },
        'presence.key': { mode: 'bind', expression: 'inputs.name' },
        timeoutMs: { mode: 'static', value: '5000' },
        postgresChanges: { mode: 'static', value: [{ event: 'INSERT', schema: 'public', table: '{{ inputs.table }}' }] },
      },
      { inputs: { name: 'Ada', table: 'todos' } },
    )
    expect(built.issues).toEqual([])
    expect(built.input).toEqual({
      channel: 'room-Ada',
      broadcast: { self: true },
      presence: { enabled: true, key: 'Ada' },
      timeoutMs: 5000,
      postgresChanges: [{ event: 'INSERT', schema: 'public', table: 'todos' }],
    })
  })

  it('leaves out hidden fields and empty optional fields, keeps empty required ones', () => {
    const built = buildActionInput(
      subscribeFields,
      { channel: { mode: 'static', value: '' }, 'presence.key': { mode: 'static', value: 'k' }, timeoutMs: { mode: 'static', value: '' } },
      {},
    )
    expect(built.input).toEqual({ channel: '' })
  })

  it('reports a broken binding and bad JSON as issues of their field', () => {
    const built = buildActionInput(
      broadcastFields,
      { channel: { mode: 'bind', expression: 'inputs.' }, event: { mode: 'static', value: 'x' }, payload: { mode: 'static', value: '{"a": ' } },
      {},
    )
    expect(built.issues.map((i) => [i.field, i.code])).toEqual([
      ['channel', 'EXPRESSION_SYNTAX'],
      ['payload', 'INVALID_JSON'],
    ])
    expect(built.issues.every((i) => i.fix.length > 0)).toBe(true)
  })

  it('parses typed-in JSON and renders its placeholders', () => {
    const built = buildActionInput(broadcastFields, { payload: { mode: 'static', value: '{"text": "{{ inputs.message }}"}' } }, { inputs: { message: 'hi' } })
    expect(built.input.payload).toEqual({ text: 'hi' })
  })
})

describe('isFieldVisible', () => {
  it('follows visibleIf on the other values', () => {
    const key = subscribeFields[3]
    if (!key) throw new Error('fixture')
    expect(isFieldVisible(key, { presence: { enabled: true } })).toBe(true)
    expect(isFieldVisible(key, { presence: { enabled: false } })).toBe(false)
    expect(isFieldVisible(key, {})).toBe(false)
  })
})

describe('runWorkflow', () => {
  it('runs the steps in order with bindings read at each step', async () => {
    const t = createRuntime()
    const run = await runWorkflow(sendWorkflow, t.runtime, null)
    expect(run.status).toBe('ok')
    expect(run.failure).toBeNull()
    expect(t.executed).toEqual([{ actionId: 'broadcast', input: { channel: 'chat', event: 'message', payload: { name: 'Ada', text: 'Hello' } } }])
    expect(t.inputs.message).toBe('')
    expect(run.steps.map((s) => s.status)).toEqual(['ok', 'ok'])
  })

  it('sends nothing and names the field when a required field is empty', async () => {
    const t = createRuntime()
    const workflow: WorkflowDefinition = structuredClone(sendWorkflow)
    const first = workflow.steps[0]
    if (first?.type !== 'action') throw new Error('fixture')
    first.values.channel = { mode: 'static', value: '  ' }
    const run = await runWorkflow(workflow, t.runtime, null)
    expect(run.status).toBe('failed')
    expect(run.failure).toMatchObject({ stepIndex: 0, stepId: 's1', code: 'INVALID_INPUT', field: 'channel' })
    expect(run.failure?.message).toContain('Channel is required')
    expect(t.executed).toEqual([])
    expect(t.inputs.message).toBe('Hello')
    expect(run.steps.map((s) => s.status)).toEqual(['failed', 'skipped'])
  })

  it('stops with the action error code, field and fix when the action rejects', async () => {
    const error = Object.assign(new Error('[SEND_FAILED] The message was not acknowledged.'), { code: 'SEND_FAILED', fix: 'Subscribe first.', field: 'channel' })
    const t = createRuntime({ reject: error })
    const run = await runWorkflow(sendWorkflow, t.runtime, null)
    expect(run.failure).toMatchObject({ code: 'SEND_FAILED', fix: 'Subscribe first.', field: 'channel', stepIndex: 0 })
    expect(t.inputs.message).toBe('Hello')
  })

  it('appends the event to a list variable', async () => {
    const t = createRuntime()
    const workflow: WorkflowDefinition = {
      id: 'append',
      name: 'Append',
      trigger: { type: 'plugin', triggerId: 'broadcast', conditions: { channel: 'chat' } },
      steps: [{ id: 'a', type: 'change-variable', target: 'variables.chatLog', mode: 'append', value: { mode: 'bind', expression: '{ text: event.data.payload.text }' } }],
    }
    await runWorkflow(workflow, t.runtime, { data: { payload: { text: 'one' } } })
    await runWorkflow(workflow, t.runtime, { data: { payload: { text: 'two' } } })
    expect(t.variables.chatLog).toEqual([{ text: 'one' }, { text: 'two' }])
  })

  it('refuses to append to a variable that is not a list', async () => {
    const t = createRuntime()
    const workflow: WorkflowDefinition = {
      id: 'bad',
      name: 'Bad',
      trigger: { type: 'page', event: 'page-load' },
      steps: [{ id: 'a', type: 'change-variable', target: 'variables.title', mode: 'append', value: { mode: 'static', value: 'x' } }],
    }
    const run = await runWorkflow(workflow, t.runtime, null)
    expect(run.failure?.code).toBe('INVALID_INPUT')
    expect(run.failure?.issues[0]?.code).toBe('NOT_A_LIST')
    expect(t.variables.title).toBe('x')
  })

  it('reports an unknown action without executing anything', async () => {
    const t = createRuntime()
    const workflow: WorkflowDefinition = { id: 'u', name: 'U', trigger: { type: 'page', event: 'page-load' }, steps: [{ id: 'x', type: 'action', actionId: 'teleport', values: {} }] }
    const run = await runWorkflow(workflow, t.runtime, null)
    expect(run.failure?.code).toBe('UNKNOWN_ACTION')
    expect(t.executed).toEqual([])
  })
})

describe('runWorkflow when actions are unavailable', () => {
  it('stops at the first action step with the reason and runs nothing', async () => {
    const t = createRuntime()
    const runtime: WorkflowRuntime = { ...t.runtime, unavailable: () => ({ code: 'NOT_CONNECTED', message: 'Not running.', fix: 'Open Settings.' }) }
    const run = await runWorkflow(sendWorkflow, runtime, null)
    expect(run.failure).toMatchObject({ code: 'NOT_CONNECTED', stepIndex: 0, fix: 'Open Settings.' })
    expect(t.executed).toEqual([])
  })
})
