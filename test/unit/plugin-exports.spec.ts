import { describe, expect, it } from 'vitest'
import * as api from '../../src/index'

describe('public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ACTIONS',
        'ERROR_CODES',
        'MANIFEST',
        'REALTIME_PLUGIN_KEY',
        'RealtimePluginError',
        'TRIGGERS',
        'TRIGGER_IDS',
        'VARIABLE_IDS',
        'buildManifest',
        'createMemoryHost',
        'createRealtimePlugin',
        'createWewebHost',
        'createWewebPlugin',
        'describeErrorCode',
        'isRealtimePluginError',
        'matchConditions',
        'toWewebConfig',
        'useChannel',
        'useRealtimePlugin',
        'useRealtimeVariables',
        'validateActionInput',
        'validateSettings',
      ].sort(),
    )
  })

  it('returns the documented plugin shape and works without a Vue app', async () => {
    const plugin = api.createRealtimePlugin({ url: 'http://127.0.0.1:9', key: 'anon' })
    expect(Object.keys(plugin).sort()).toEqual(['actions', 'client', 'dispose', 'execute', 'host', 'install', 'store', 'variables'].sort())
    expect(plugin.variables.connection).toEqual({ status: 'idle', latencyMs: null, lastError: null, reconnects: 0, connectedAt: null })
    expect(plugin.variables.channels).toEqual({})
    await plugin.dispose()
    await expect(plugin.execute('subscribe', { channel: 'chat' })).rejects.toMatchObject({ code: 'DISPOSED' })
  })

  it('rejects actions with NOT_CONFIGURED and the settings advice when the URL is missing', async () => {
    const plugin = api.createRealtimePlugin({ key: 'anon' })
    await expect(plugin.execute('subscribe', { channel: 'chat' })).rejects.toMatchObject({ code: 'NOT_CONFIGURED', field: 'url' })
    await expect(plugin.execute('teleport', {})).rejects.toMatchObject({ code: 'UNKNOWN_ACTION', field: 'actionId' })
    await plugin.dispose()
  })

  it('validates before anything is sent', async () => {
    const plugin = api.createRealtimePlugin({ url: 'http://127.0.0.1:9', key: 'anon' })
    const error = await plugin.execute('broadcast', { channel: 'chat', event: '', payload: 'hi' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'event' })
    expect((error as api.RealtimePluginError).issues.map((i) => i.field)).toEqual(['event', 'payload'])
    expect(plugin.variables.connection.status).toBe('idle')
    await plugin.dispose()
  })
})

describe('composables', () => {
  it('explain how to install the plugin when used without it', () => {
    expect(() => api.useRealtimePlugin()).toThrow(expect.objectContaining({ code: 'NOT_CONFIGURED' }))
  })
})
