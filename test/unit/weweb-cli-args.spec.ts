// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { DEFAULT_CLI_ARGS, readWewebCliArgs } from '../../scripts/weweb-cli-args'

describe('readWewebCliArgs', () => {
  it("defaults to this plugin's name and type, and WeWeb's port", () => {
    expect(readWewebCliArgs([], {})).toEqual({ name: 'supabase-realtime', type: 'plugin', port: '8080' })
    expect(DEFAULT_CLI_ARGS.name).toBe('supabase-realtime')
  })

  it('reads `npm run build -- name=x type=plugin` as the CLI does, quotes removed', () => {
    expect(readWewebCliArgs(['name=x', 'type=plugin'], {})).toEqual({ name: 'x', type: 'plugin', port: '8080' })
    expect(readWewebCliArgs(['name="my-plugin"', "port='8081'"], {})).toEqual({ name: 'my-plugin', type: 'plugin', port: '8081' })
  })

  it('reads `-- --name=x` and `npm run build --name=x --type=plugin` (npm_config_name, which the CLI ignores)', () => {
    expect(readWewebCliArgs(['--name=x', '--type=element'], {})).toEqual({ name: 'x', type: 'element', port: '8080' })
    expect(readWewebCliArgs([], { npm_config_name: 'y', npm_config_type: 'plugin', npm_config_port: '9000' })).toEqual({ name: 'y', type: 'plugin', port: '9000' })
  })

  it('lets arguments win over npm_config_*, and ignores empty values', () => {
    expect(readWewebCliArgs(['name=from-argv'], { npm_config_name: 'from-env' }).name).toBe('from-argv')
    expect(readWewebCliArgs(['name='], { npm_config_type: ' ' })).toEqual(DEFAULT_CLI_ARGS)
  })
})
