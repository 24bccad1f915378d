/**
 * Thrown by the stand-ins that replace, in the WeWeb bundle only, parts of `@supabase/realtime-js`
 * and its Phoenix socket the plugin never uses (see `scripts/weweb-lean-modules.ts`). Reaching one
 * means the plugin started to use that part: remove its entry from the list there.
 */
export class LeftOutOfBundleError extends Error {
  readonly code = 'LEFT_OUT_OF_BUNDLE'
  /** What was left out, e.g. `the Phoenix long-poll transport`. */
  readonly feature: string

  constructor(feature: string) {
    super(`${feature} is not part of the WeWeb build of the Realtime plugin.`)
    this.name = 'LeftOutOfBundleError'
    this.feature = feature
  }
}
