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
