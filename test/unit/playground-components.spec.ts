import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { shallowRef } from 'vue'
import type { FieldSpec, PluginManifest } from '../../editor-config/manifest-types'
import ChatMessageList from '../../playground/components/page/ChatMessageList.vue'
import OnlineCount from '../../playground/components/page/OnlineCount.vue'
import FieldEditor from '../../playground/components/editor/FieldEditor.vue'
import StepEditor from '../../playground/components/editor/StepEditor.vue'
import type { KeyValueStorage } from '../../playground/engine/autosave'
import { createPlayground, type Playground } from '../../playground/runtime/create-playground'
import type { PluginSession } from '../../playground/runtime/plugin-session'
import { PLAYGROUND_KEY } from '../../playground/runtime/use-playground'

enableAutoUnmount(afterEach)

const manifest: PluginManifest = {
  name: 'test',
  version: '0',
  settings: [],
  actions: [
    {
      id: 'broadcast',
      name: 'Realtime | Broadcast',
      label: 'Broadcast a message',
      description: 'Sends a message.',
      isAsync: true,
      sampleResult: null,
      fields: [
        { name: 'channel', type: 'text', label: 'Channel', tooltip: 'The channel.', required: true, bindable: true },
        { name: 'event', type: 'text', label: 'Event', tooltip: 'The event.', required: true, bindable: true },
        { name: 'payload', type: 'json', label: 'Payload', tooltip: 'The data.', required: false, bindable: true },
      ],
    },
  ],
  triggers: [],
  variables: [],
}

function storage(): KeyValueStorage {
  const data = new Map<string, string>()
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) }
}

async function setup(): Promise<{ playground: Playground; presence: ReturnType<typeof shallowRef<Record<string, unknown>>> }> {
  const presence = shallowRef<Record<string, unknown>>({ chat: { count: 1 } })
  const session: PluginSession = {
    manifest,
    readVariables: () => ({ presence: presence.value }),
    execute: () => Promise.resolve({ status: 'ok' }),
    validate: (_id, input) => {
      const missing = typeof input.event !== 'string' || input.event.trim() === ''
      return missing ? [{ field: 'event', code: 'REQUIRED', message: 'Event name is required.', fix: 'Enter an event name, e.g. message.' }] : []
    },
    dispose: () => Promise.resolve(),
  }
  const playground = createPlayground({ storage: storage(), defaults: { url: 'http://local', key: 'k' }, createSession: () => session })
  await playground.start()
  return { playground, presence }
}

describe('page components', () => {
  it('shows chat messages as text and follows the bound variable', async () => {
    const { playground } = await setup()
    const wrapper = mount(ChatMessageList, { global: { provide: { [PLAYGROUND_KEY as symbol]: playground } } })
    expect(wrapper.text()).toContain('No messages yet')
    playground.appVariables.value = { ...playground.appVariables.value, chatLog: [{ name: 'Eve', text: '<img src=x onerror=alert(1)>', self: false }] }
    await flushPromises()
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.text()).toContain('<img src=x onerror=alert(1)>')
    expect(wrapper.text()).toContain('Eve')
  })

  it('shows the online count from the presence variable', async () => {
    const { playground, presence } = await setup()
    const wrapper = mount(OnlineCount, { global: { provide: { [PLAYGROUND_KEY as symbol]: playground } } })
    expect(wrapper.text()).toContain('1 online')
    presence.value = { chat: { count: 3 } }
    await flushPromises()
    expect(wrapper.text()).toContain('3 online')
  })
})

describe('StepEditor', () => {
  it('renders the form from the manifest and shows the validator message under its field', async () => {
    const { playground } = await setup()
    const workflow = playground.definition.value.workflows.find((w) => w.id === 'send-message')
    const step = workflow?.steps[0]
    if (!workflow || step?.type !== 'action') throw new Error('fixture')
    const wrapper = mount(StepEditor, { props: { step, index: 0, count: 2, workflow }, global: { provide: { [PLAYGROUND_KEY as symbol]: playground } } })
    expect(wrapper.findAll('label').map((l) => l.text().replace(/\s+/g, ' '))).toEqual(expect.arrayContaining(['Channel *', 'Event *', 'Payload']))
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)

    step.values.event = { mode: 'static', value: '' }
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('Event name is required.')
    expect(wrapper.find('[aria-invalid="true"]').exists()).toBe(true)
  })
})

describe('FieldEditor', () => {
  const payload: FieldSpec = { name: 'payload', type: 'json', label: 'Payload', tooltip: 'The data.', required: false, bindable: true, default: {} }
  const list: FieldSpec = {
    name: 'postgresChanges',
    type: 'list',
    label: 'Database changes',
    tooltip: '',
    required: false,
    bindable: true,
    itemFields: [
      { name: 'event', type: 'select', label: 'Event', tooltip: '', required: false, bindable: true, default: '*', options: [{ label: 'All events', value: '*' }, { label: 'Insert', value: 'INSERT' }] },
      { name: 'table', type: 'text', label: 'Table', tooltip: '', required: true, bindable: true },
    ],
  }

  it('switches a typed-in value to a binding and back', async () => {
    const wrapper = mount(FieldEditor, { props: { spec: payload, modelValue: { mode: 'static', value: '{"a":1}' } } })
    await wrapper.get('button[aria-label="Bind Payload"]').trigger('click')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{ mode: 'bind', expression: '{"a":1}' }])
    await wrapper.setProps({ modelValue: { mode: 'bind', expression: '{ a: inputs.x }' } })
    expect(wrapper.get('input').element.value).toBe('{ a: inputs.x }')
    expect(wrapper.get('button[aria-label="Bind Payload"]').attributes('aria-pressed')).toBe('true')
    await wrapper.get('button[aria-label="Bind Payload"]').trigger('click')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{ mode: 'static', value: {} }])
  })

  it('adds list items with the defaults of their fields and edits them', async () => {
    const wrapper = mount(FieldEditor, { props: { spec: list, modelValue: { mode: 'static', value: [] } } })
    await wrapper.get('button:not([aria-label])').trigger('click')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{ mode: 'static', value: [{ event: '*' }] }])
    await wrapper.setProps({ modelValue: { mode: 'static', value: [{ event: '*' }] } })
    await wrapper.get('input[type="text"]').setValue('todos')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{ mode: 'static', value: [{ event: '*', table: 'todos' }] }])
  })
})
