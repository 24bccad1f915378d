import { MANIFEST, validateActionInput } from '../../editor-config/manifest'
import { wewebRuntimeConfig } from '../../editor-config/weweb-runtime-config'
import { VARIABLE_IDS } from '../../src/core/types'
import { createWewebPlugin } from '../../src/weweb-plugin'
import { createWwLib, type WwLibStandIn } from '../wwlib/create-wwlib'
import { mountPlugin } from '../wwlib/mount-plugin'
import type { PluginSessionFactory } from './plugin-session'
import { playgroundAuthFor } from './playground-auth'

let shared: WwLibStandIn | null = null
let sessions = 0

/** The page's `wwLib`, installed as the global the WeWeb host reads (one per page, as in WeWeb). */
export function playgroundWwLib(): WwLibStandIn {
  if (!shared) {
    shared = createWwLib()
    ;(globalThis as { wwLib?: WwLibStandIn }).wwLib = shared
  }
  return shared
}

/**
 * Creates a plugin session the way WeWeb runs the plugin: the runtime object of `src/wwPlugin.js`
 * is mounted on the playground's `wwLib`; its triggers arrive through `wwWorkflow.executeTrigger`
 * and its variables through `wwVariable.updateValue`.
 */
export const createPluginSession: PluginSessionFactory = (settings, onTrigger) => {
  const wwLib = playgroundWwLib()
  const id = `realtime-${++sessions}`
  const prefix = `${id}-`
  // NOTE: as WeWeb's Supabase Auth plugin, a real supabase-js client signed in to the same project; the plugin follows its session.
  try {
    wwLib.wwPlugins.supabaseAuth = { publicInstance: playgroundAuthFor(settings).client as unknown as NonNullable<WwLibStandIn['wwPlugins']['supabaseAuth']>['publicInstance'] }
  } catch {
    delete wwLib.wwPlugins.supabaseAuth
  }
  const content = createWewebPlugin()
  const stopObserving = wwLib.wwWorkflow.observe(({ trigger, event, conditions }) => {
    if (trigger.startsWith(prefix)) onTrigger({ triggerId: trigger.slice(prefix.length), event, conditions: { ...conditions }, at: Date.now() })
  })
  const mounted = mountPlugin(wwLib, { content, config: wewebRuntimeConfig() }, { namespace: 'supabaseRealtime', id, settings: { publicData: { url: settings.url, key: settings.key }, privateData: {} } })
  return {
    manifest: MANIFEST,
    readVariables() {
      const out: Record<string, unknown> = {}
      // NOTE: each read is tracked per key, so a computed that calls this re-runs when a variable changes.
      for (const name of VARIABLE_IDS) out[name] = wwLib.wwVariable.values[prefix + name]
      return out
    },
    async execute(actionId, input) {
      await mounted
      return (content as unknown as Record<string, (args: unknown) => Promise<unknown>>)[actionId]?.(input) ?? content.instance?.execute(actionId, input)
    },
    validate: (actionId, input) => validateActionInput(actionId, input),
    async dispose() {
      stopObserving()
      const unmount = await mounted.catch(() => null)
      await content.dispose()
      unmount?.()
    },
  }
}
