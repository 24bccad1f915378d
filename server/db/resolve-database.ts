import { createServer } from 'node:net'
import type { DatabaseHooks } from '../database-hooks'
import { isDatabaseHooks, type DatabaseOption } from './database-option'
import { startDatabase } from './start-database'

function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

/**
 * Turns the server's `database` option into hooks: ready-made hooks are used as they are (and not
 * stopped by the server); otherwise PostgreSQL at `url` / `DATABASE_URL` is used, or an embedded one
 * is started. `owned` hooks are stopped with the server.
 */
export async function resolveDatabase(
  option: DatabaseOption,
  serverPort: number,
  serverHost: string,
  signal?: AbortSignal,
): Promise<{ hooks: DatabaseHooks | null; owned: boolean }> {
  if (option === false) return { hooks: null, owned: false }
  if (isDatabaseHooks(option)) return { hooks: option, owned: false }
  // NOTE: when the server's own port is taken, its listen fails with PORT_IN_USE anyway: start nothing.
  if (serverPort !== 0 && !(await isPortFree(serverHost, serverPort))) return { hooks: null, owned: false }
  const connect = option ?? {}
  const url = connect.url ?? (process.env.DATABASE_URL || undefined)
  const hooks = await startDatabase({
    ...(url ? { url } : { port: connect.port ?? (serverPort === 0 ? 0 : 54322) }),
    ...(connect.seed === undefined ? {} : { seed: connect.seed }),
    ...(signal ? { signal } : {}),
  })
  return { hooks, owned: true }
}
