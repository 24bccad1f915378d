/**
 * Components bound to the variables: a chat list and an online counter update as messages and
 * presence arrive from another plugin instance, through the local server and the real supabase-js.
 */
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import type { RealtimeServer } from '../../server/index'
import { useChannel, useRealtimeVariables } from '../../src/index'
import { createTestPluginPool } from '../helpers/plugin-fixture'
import { startTestServer, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'

const ChatList = defineComponent({
  name: 'ChatList',
  props: { channel: { type: String, required: true } },
  setup(props) {
    const variables = useRealtimeVariables()
    return () =>
      h(
        'ul',
        { class: 'chat' },
        (variables.messages[props.channel] ?? []).map((m) => h('li', { key: m.id, class: m.self ? 'own' : 'other' }, String((m.payload as { text?: string }).text ?? ''))),
      )
  },
})

const OnlineCounter = defineComponent({
  name: 'OnlineCounter',
  props: { channel: { type: String, required: true } },
  setup(props) {
    const { count, members, state } = useChannel(() => props.channel)
    return () =>
      h('p', { class: 'online' }, [
        h('span', { class: 'count' }, `${count.value} online`),
        h('span', { class: 'names' }, members.value.map((m) => String(m.state['name'] ?? m.key)).join(', ')),
        h('span', { class: 'status' }, state.value?.status ?? 'not subscribed'),
      ])
  },
})

let server: RealtimeServer
const plugins = createTestPluginPool()

beforeAll(async () => {
  server = await startTestServer({ limits: UNTHROTTLED_LIMITS })
})

enableAutoUnmount(afterEach)

afterEach(() => plugins.disposeAll())

afterAll(async () => {
  await server.stop()
})

const plugin = () => plugins.create(server)

describe('components bound to the variables', () => {
  it('update the chat list and the online counter as messages and presence arrive', async () => {
    const agent = plugin()
    const customer = plugin()
    const channel = 'widget-chat'
    const pinia = createPinia()
    const wrapper = mount(
      defineComponent(() => () => h('div', [h(OnlineCounter, { channel }), h(ChatList, { channel })])),
      { global: { plugins: [pinia, agent.plugin] } },
    )
    expect(wrapper.find('.status').text()).toBe('not subscribed')

    await agent.plugin.execute('subscribe', { channel, presence: { key: 'agent' } })
    await agent.plugin.execute('presence', { channel, action: 'track', state: { name: 'Ada' } })
    await flushPromises()
    expect(wrapper.find('.status').text()).toBe('SUBSCRIBED')
    expect(wrapper.find('.count').text()).toBe('1 online')

    await customer.plugin.execute('subscribe', { channel, presence: { key: 'customer' } })
    await customer.plugin.execute('presence', { channel, action: 'track', state: { name: 'Bob' } })
    await waitFor(async () => {
      await flushPromises()
      return wrapper.find('.count').text() === '2 online'
    }, 10_000, 'counter at 2')
    expect(wrapper.find('.names').text()).toBe('Ada, Bob')

    await customer.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'Where is my order?' } })
    await agent.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'Let me check.' } })
    await waitFor(async () => {
      await flushPromises()
      return wrapper.findAll('li').length === 2
    }, 10_000, 'two messages rendered')
    expect(wrapper.findAll('li').map((li) => [li.text(), li.classes()[0]])).toEqual([
      ['Where is my order?', 'other'],
      ['Let me check.', 'own'],
    ])

    await customer.plugin.execute('unsubscribe', { channel })
    await waitFor(async () => {
      await flushPromises()
      return wrapper.find('.count').text() === '1 online'
    }, 10_000, 'counter back at 1')

    // app.use(plugin) also installed the store in the app's Pinia.
    expect(Object.keys(pinia.state.value).some((id) => id.startsWith('supabase-realtime-'))).toBe(true)
  })

  it('holds a channel while components using it live, and leaves it after the last one unmounts', async () => {
    const t = plugin()
    const channel = 'scoped-room'
    const Panel = defineComponent({
      setup() {
        const { state } = useChannel(channel, { subscribe: { presence: { enabled: false } } })
        return () => h('span', state.value?.status ?? 'none')
      },
    })
    const first = mount(Panel, { global: { plugins: [t.plugin] } })
    const second = mount(Panel, { global: { plugins: [t.plugin] } })
    await waitFor(async () => {
      await flushPromises()
      return first.text() === 'SUBSCRIBED' && second.text() === 'SUBSCRIBED'
    }, 10_000, 'both panels subscribed')
    expect(t.plugin.client?.getChannels()).toHaveLength(1)

    first.unmount()
    await new Promise((r) => setTimeout(r, 100))
    expect(t.plugin.variables.channels[channel]?.status).toBe('SUBSCRIBED')

    second.unmount()
    await waitFor(() => t.plugin.variables.channels[channel] === undefined, 10_000, 'channel left')
    expect(t.plugin.client?.getChannels()).toEqual([])
  })
})
