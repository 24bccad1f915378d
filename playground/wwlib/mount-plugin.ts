import type { WwLibStandIn } from './create-wwlib'

/** What a plugin's `dist/manager.js` passes to `window.addWwComponent` (see WeWeb's CLI). */
export interface WwComponentRegistration<C = unknown> {
  name: string
  version: string
  type: string | null
  content: C
  config: { variables?: Array<{ name: string; defaultValue?: unknown }> }
}

/** The part of a plugin runtime object WeWeb sets and calls when it mounts the plugin. */
export interface MountablePlugin {
  id: string
  settings: unknown
  _onLoad?(settings: unknown): Promise<void> | void
}

/**
 * Mounts a plugin as WeWeb does: sets its `id` and `settings`, registers its variables
 * (`<id>-<name>` with their default value), exposes it as `wwPlugins[namespace]`, then runs `_onLoad`.
 * Returns the function that removes it again.
 */
export async function mountPlugin<C extends MountablePlugin>(
  wwLib: WwLibStandIn,
  registration: Pick<WwComponentRegistration<C>, 'content' | 'config'>,
  options: { namespace: string; id: string; settings: unknown },
): Promise<() => void> {
  const plugin = registration.content
  plugin.id = options.id
  plugin.settings = options.settings
  const ids: string[] = []
  for (const variable of registration.config.variables ?? []) {
    const id = `${options.id}-${variable.name}`
    ids.push(id)
    wwLib.wwVariable.updateValue(id, structuredClone(variable.defaultValue ?? null))
  }
  wwLib.wwPlugins[options.namespace] = plugin
  await plugin._onLoad?.(options.settings)
  return () => {
    if (wwLib.wwPlugins[options.namespace] === plugin) delete wwLib.wwPlugins[options.namespace]
    for (const id of ids) delete wwLib.wwVariable.values[id]
  }
}

/** Resolves with the first component a loaded `manager.js` registers through `window.addWwComponent`. */
export function waitForWwComponent<C>(target: { addWwComponent?: (registration: WwComponentRegistration<C>) => unknown }): Promise<WwComponentRegistration<C>> {
  return new Promise((resolve) => {
    target.addWwComponent = (registration) => {
      resolve(registration)
      return true
    }
  })
}
