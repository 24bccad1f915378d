/**
 * The host publisher (src/runtime/host-publisher.ts): variables reach the host batched, once per
 * tick and variable, and always before a trigger, so a workflow started by the trigger reads
 * variables that already hold its event.
 */
import { describe, expect, it } from 'vitest'
import type { HostAdapter } from '../../../src/core/host-adapter'
import { HostPublisher } from '../../../src/runtime/host-publisher'

function recordingHost(options: { failVariable?: boolean; failTrigger?: boolean } = {}) {
  const log: string[] = []
  const values = new Map<string, unknown>()
  const host: HostAdapter = {
    emitTrigger(triggerId, event) {
      if (options.failTrigger) throw new Error('workflow crashed')
      log.push(`trigger ${triggerId} sees ${JSON.stringify(values.get('messages'))}`)
      void event
    },
    setVariable(id, value) {
      if (options.failVariable) throw new Error('store full')
      values.set(id, value)
      log.push(`variable ${id}`)
    },
    log: (level, message) => void log.push(`${level} ${message}`),
  }
  return { host, log, values }
}

const broadcast = { channel: 'room', event: 'chat', payload: {}, id: 'm1', receivedAt: 0, self: false }

describe('host publisher', () => {
  it('gives the host each changed variable once, at the end of the tick', async () => {
    const { host, log } = recordingHost()
    const state: Record<string, unknown> = { messages: [] }
    const publisher = new HostPublisher(host, (id) => state[id])
    state['messages'] = ['a']
    publisher.markDirty('messages')
    state['messages'] = ['a', 'b']
    publisher.markDirty('messages')
    publisher.markDirty('channels')
    expect(log).toEqual([])
    await Promise.resolve()
    expect(log).toEqual(['variable messages', 'variable channels'])
  })

  it('flushes the variables before a trigger fires, so the workflow reads the event in them', async () => {
    const { host, log } = recordingHost()
    const state: Record<string, unknown> = { messages: [] }
    const publisher = new HostPublisher(host, (id) => state[id])
    state['messages'] = ['hello']
    publisher.markDirty('messages')
    publisher.emit('broadcast', broadcast, { channel: 'room', event: 'chat' })
    expect(log).toEqual(['variable messages', 'trigger broadcast sees ["hello"]'])
    await Promise.resolve()
    expect(log).toHaveLength(2)
  })

  it('takes any variable id, for variables other units add', async () => {
    const { host, values } = recordingHost()
    const publisher = new HostPublisher<string>(host, (id) => `value of ${id}`)
    publisher.markDirty('cursors')
    publisher.flush()
    expect(values.get('cursors')).toBe('value of cursors')
  })

  it('logs a host that fails to store a variable or run a trigger, and goes on', () => {
    const failing = recordingHost({ failVariable: true, failTrigger: true })
    const publisher = new HostPublisher(failing.host, () => null)
    publisher.markDirty('messages')
    publisher.emit('broadcast', broadcast, { channel: 'room', event: 'chat' })
    expect(failing.log).toEqual(['error The host failed to store variable "messages"', 'error The host failed to run trigger "broadcast"'])
  })

  it('sends nothing to a host without variables', async () => {
    const { host, log } = recordingHost()
    const publisher = new HostPublisher({ emitTrigger: host.emitTrigger }, () => null)
    publisher.markDirty('messages')
    await Promise.resolve()
    publisher.emit('broadcast', broadcast, { channel: 'room', event: 'chat' })
    expect(log).toEqual(['trigger broadcast sees undefined'])
  })
})
