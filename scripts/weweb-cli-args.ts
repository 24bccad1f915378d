/** The arguments of WeWeb's CLI (`weweb build name=… type=…`, `weweb serve port=…`). */
export interface WewebCliArgs {
  name: string
  type: string
  port: string
}

/** This plugin's name and type, used when none is given. */
export const DEFAULT_CLI_ARGS: WewebCliArgs = { name: 'supabase-realtime', type: 'plugin', port: '8080' }

/**
 * Reads `name`, `type` and `port` the ways the official plugins' READMEs pass them:
 * `npm run build -- name=x type=plugin` (arguments, as the CLI reads them), `-- --name=x`, and
 * `npm run build --name=x` (which npm turns into `npm_config_name`, an environment variable the
 * CLI itself never reads). Arguments win over the environment; anything missing gets the default.
 */
export function readWewebCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): WewebCliArgs {
  const fromArgv = (key: keyof WewebCliArgs): string | undefined => {
    for (const arg of argv) {
      const match = new RegExp(`^(?:--)?${key}=(.*)$`).exec(arg)
      if (match) return (match[1] ?? '').replace(/["']/g, '')
    }
    return undefined
  }
  const pick = (key: keyof WewebCliArgs): string => {
    const value = fromArgv(key) ?? env[`npm_config_${key}`]
    return value && value.trim() !== '' ? value.trim() : DEFAULT_CLI_ARGS[key]
  }
  return { name: pick('name'), type: pick('type'), port: pick('port') }
}
