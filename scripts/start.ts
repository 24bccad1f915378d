import { isPortFree } from './is-port-free'
import { startPlaygroundDevServer, type PlaygroundServer } from './playground-server'
import { startStack, type RunningStack } from './start-stack'

// `npm start`: the local Realtime server with its PostgreSQL, then the playground, until Ctrl-C.
// Env: REALTIME_PORT (54321), DATABASE_PORT (54322), PLAYGROUND_PORT (5173).

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name}=${raw} is not a port number. Unset it or use a number from 0 to 65535, e.g. ${name}=${fallback}.`)
    process.exit(1)
  }
  return port
}

async function choosePort(name: string, wanted: number): Promise<number> {
  if (wanted === 0 || (await isPortFree(wanted))) return wanted
  console.warn(`Port ${wanted} (${name}) is taken, so a free port is used instead. Stop whatever uses ${wanted} to get the default back.`)
  return 0
}

let stack: RunningStack | null = null
let playground: PlaygroundServer | null = null
let stopping = false
let stoppingSince = 0

/**
 * Database warnings as one readable line instead of a dump of the driver's error object. A stop shuts
 * PostgreSQL down, which closes its connections first ("administrator command"): expected, so silent.
 */
function shortenDatabaseWarnings(): void {
  const warn = console.warn.bind(console)
  console.warn = (...args: unknown[]) => {
    const [first, error] = args
    if (typeof first !== 'string' || !first.startsWith('[realtime db]')) return warn(...args)
    const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined
    if (stopping || code === '57P01') return
    warn(error instanceof Error ? `${first}: ${error.message}` : first)
  }
}

async function stopAll(code: number): Promise<void> {
  // NOTE: Ctrl-C reaches both npm and this process, and npm passes it on: the same press arrives twice at once.
  if (stopping && Date.now() - stoppingSince < 300) return
  // NOTE: a second Ctrl-C exits at once; the exit hook of the embedded PostgreSQL still stops it and deletes its folder.
  if (stopping) process.exit(code)
  stopping = true
  stoppingSince = Date.now()
  console.log('Stopping the playground, the Realtime server and PostgreSQL…')
  const force = setTimeout(() => process.exit(code), 10_000)
  force.unref()
  try {
    await playground?.close()
  } catch (error) {
    console.error('The playground server did not stop cleanly:', error)
  }
  try {
    await stack?.stop()
  } catch (error) {
    console.error('The Realtime server or PostgreSQL did not stop cleanly:', error)
  }
  if (code === 0) console.log('Stopped.')
  process.exit(code)
}

async function main(): Promise<void> {
  shortenDatabaseWarnings()
  process.on('SIGINT', () => void stopAll(0))
  process.on('SIGTERM', () => void stopAll(0))
  process.on('SIGHUP', () => void stopAll(0))

  const realtimePort = await choosePort('Realtime server', portFromEnv('REALTIME_PORT', 54321))
  const databasePort = await choosePort('PostgreSQL', portFromEnv('DATABASE_PORT', 54322))
  console.log('Starting PostgreSQL and the Realtime server…')
  stack = await startStack({ realtimePort, databasePort, logLevel: 'warn' })
  if (stopping) return
  const defaults = { url: stack.url, anonKey: stack.anonKey }
  playground = await startPlaygroundDevServer({ defaults: () => defaults, port: portFromEnv('PLAYGROUND_PORT', 5173), logLevel: 'warn' })
  if (stopping) return

  console.log('')
  console.log(`  Playground:       ${playground.url}`)
  console.log(`  Realtime server:  ${stack.url}  (WebSocket ${stack.url.replace(/^http/, 'ws')}/realtime/v1/websocket)`)
  console.log(`  Anon key:         ${stack.anonKey}`)
  if (stack.databaseUrl) console.log(`  PostgreSQL:       ${stack.databaseUrl}  (table public.todos is live)`)
  for (const user of stack.demoUsers) console.log(`  Demo user:        ${user.email}  password ${user.password}  (sign in from the page)`)
  console.log('')
  console.log('  Open the playground in two windows and click "Support" in both. Press Ctrl-C to stop everything.')
}

main().catch(async (error: unknown) => {
  console.error('npm start failed:', error instanceof Error ? error.message : error)
  if (error !== null && typeof error === 'object' && 'fix' in error) console.error(`How to fix: ${String((error as { fix: unknown }).fix)}`)
  await stopAll(1)
})
