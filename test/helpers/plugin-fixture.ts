import type { RealtimeServer } from '../../server/index'
import { createRealtimePlugin, type RealtimePlugin, type RealtimePluginOptions } from '../../src/index'
import { createMemoryHost, type MemoryHost } from '../../src/host/memory-host'
import { nodeTransport } from './server-fixture'

/** A plugin instance under test, with its in-memory host. */
export interface TestPlugin {
  plugin: RealtimePlugin
  host: MemoryHost
}

/** Options of {@link createTestPlugin}. */
export interface TestPluginOptions extends Omit<RealtimePluginOptions, 'url' | 'key' | 'host'> {
  /** API key. @default server.anonKey */
  key?: string
  /** Realtime options merged over `{ transport: ws }`. */
  realtimeOptions?: RealtimePluginOptions['realtime']
}

/**
 * A plugin connected to the local server over `ws` (Node has no WebSocket supabase-js accepts).
 * Dispose it with `await plugin.dispose()`.
 */
export function createTestPlugin(server: Pick<RealtimeServer, 'url' | 'anonKey'>, options: TestPluginOptions = {}): TestPlugin {
  const host = createMemoryHost({ record: 5000 })
  const { key, realtimeOptions, ...rest } = options
  const plugin = createRealtimePlugin({
    url: server.url,
    key: key ?? server.anonKey,
    host,
    realtime: { transport: nodeTransport, ...realtimeOptions },
    ...rest,
  })
  return { plugin, host }
}

/** Plugins made during a suite, disposed together. */
export interface TestPluginPool {
  /** {@link createTestPlugin} with the pool's defaults under `options`; disposed by {@link TestPluginPool.disposeAll}. */
  create(server: Pick<RealtimeServer, 'url' | 'anonKey'>, options?: TestPluginOptions): TestPlugin
  /** Disposes every plugin created so far (call it in `afterEach` or `afterAll`). */
  disposeAll(): Promise<void>
}

/** A {@link TestPluginPool} whose plugins get `defaults` under their own options. */
export function createTestPluginPool(defaults: TestPluginOptions = {}): TestPluginPool {
  const open: TestPlugin[] = []
  return {
    create(server, options = {}) {
      const created = createTestPlugin(server, { ...defaults, ...options })
      open.push(created)
      return created
    },
    async disposeAll() {
      await Promise.all(open.splice(0).map((t) => t.plugin.dispose()))
    },
  }
}
