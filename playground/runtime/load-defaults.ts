import type { ConnectionSettings } from './plugin-session'

/** The local server of `npm start` / `npm run realtime`, with the anon key of its default JWT secret. */
export const LOCAL_DEFAULTS: ConnectionSettings = {
  url: 'http://127.0.0.1:54321',
  key: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0',
}

/** Reads the defaults the playground server publishes at `/config.json`, or the local defaults. */
export async function loadDefaults(fetcher: typeof fetch): Promise<ConnectionSettings> {
  try {
    const response = await fetcher('./config.json', { cache: 'no-store' })
    if (!response.ok) return LOCAL_DEFAULTS
    const body = (await response.json()) as { url?: unknown; anonKey?: unknown }
    if (typeof body.url === 'string' && typeof body.anonKey === 'string') return { url: body.url, key: body.anonKey }
  } catch {
    // NOTE: served without the playground server (e.g. a static copy): use the local server.
  }
  return LOCAL_DEFAULTS
}
