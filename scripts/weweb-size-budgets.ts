/** Size budgets of the WeWeb build, in gzipped bytes (level 9): `npm run size` and the browser tests check them. */
export const SIZE_BUDGETS = {
  /** dist/manager.js, what WeWeb loads: everything but Vue. */
  manager: 45 * 1024,
  /**
   * The runtime entry (src/weweb-plugin.ts, the plugin's own code, Vue and the Supabase packages external):
   * 28.8 KB measured (live cursors and state, the error sentences), plus 10%.
   */
  runtime: Math.round(28.8 * 1024 * 1.1),
} as const
