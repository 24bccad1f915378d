import type { RealtimeServer, RealtimeServerOptions } from '../../server/index'
import { startFaultProxy, type FaultProxy } from './fault-proxy'
import { createTestPluginPool, type TestPlugin, type TestPluginOptions } from './plugin-fixture'
import { startTestServer, UNTHROTTLED_LIMITS } from './server-fixture'

/** A server, a fault proxy in front of it, and plugins on either side of the proxy. */
export interface FaultStand {
  server: RealtimeServer
  proxy: FaultProxy
  /** A plugin whose link goes through the proxy (so the proxy's faults hit it). */
  throughProxy(options?: TestPluginOptions): TestPlugin
  /** A plugin connected straight to the server. */
  direct(options?: TestPluginOptions): TestPlugin
  /** Disposes the plugins, then closes the proxy and stops the server. */
  stop(): Promise<void>
}

/** Options of {@link startFaultStand}. */
export interface FaultStandOptions {
  /** Options of every plugin the stand makes, under each call's own. `wakeEvents` defaults to `null`. */
  plugin?: TestPluginOptions
  /** Server options, over a free port and {@link UNTHROTTLED_LIMITS}. */
  server?: RealtimeServerOptions
}

/** Starts a test server and a {@link FaultProxy} in front of it. Stop both with `await stand.stop()`. */
export async function startFaultStand(options: FaultStandOptions = {}): Promise<FaultStand> {
  const server = await startTestServer({ limits: UNTHROTTLED_LIMITS, ...options.server })
  const proxy = await startFaultProxy(server.url).catch(async (error: unknown) => {
    await server.stop()
    throw error
  })
  const plugins = createTestPluginPool({ wakeEvents: null, ...options.plugin })
  return {
    server,
    proxy,
    throughProxy: (extra) => plugins.create({ url: proxy.url, anonKey: server.anonKey }, extra),
    direct: (extra) => plugins.create(server, extra),
    async stop() {
      await plugins.disposeAll()
      await proxy.close()
      await server.stop()
    },
  }
}
