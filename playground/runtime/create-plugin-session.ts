import type { PluginSessionFactory } from './plugin-session'

// TODO: wire `createRealtimePlugin` from src/index.ts once the plugin's public surface lands.
/** Creates a plugin session over the Realtime plugin. */
export const createPluginSession: PluginSessionFactory = () => {
  throw new Error('The Realtime plugin entry point (src/index.ts) is not available yet.')
}
