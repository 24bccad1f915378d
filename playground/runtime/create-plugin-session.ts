import { VARIABLE_IDS, createRealtimePlugin, validateActionInput, type HostAdapter, type RealtimeVariablesView } from '../../src/index'
import type { PluginSessionFactory } from './plugin-session'

function readAll(view: RealtimeVariablesView): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // NOTE: each getter reads a shallowRef, so a computed that calls this re-runs when a variable changes.
  for (const id of VARIABLE_IDS) out[id] = view[id]
  return out
}

/** Creates a plugin session over `createRealtimePlugin`, with a host that forwards every trigger. */
export const createPluginSession: PluginSessionFactory = (settings, onTrigger) => {
  const host: HostAdapter = {
    emitTrigger(triggerId, event, conditions) {
      onTrigger({ triggerId, event, conditions: { ...conditions }, at: Date.now() })
    },
  }
  const plugin = createRealtimePlugin({ url: settings.url, key: settings.key, host })
  return {
    manifest: plugin.manifest,
    readVariables: () => readAll(plugin.variables),
    execute: (actionId, input) => plugin.execute(actionId, input),
    validate: (actionId, input) => validateActionInput(actionId, input),
    dispose: () => plugin.dispose(),
  }
}
