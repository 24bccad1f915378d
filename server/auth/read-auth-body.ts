import type { IncomingMessage } from 'node:http'
import { authError } from './auth-errors'

/** Largest request body `/auth/v1` reads, in bytes. */
export const MAX_AUTH_BODY = 64 * 1024

/**
 * Reads a request body of at most {@link MAX_AUTH_BODY} bytes; a larger one is drained and
 * answered `413 request_entity_too_large`, as Supabase Auth does.
 */
export function readAuthBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_AUTH_BODY) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > MAX_AUTH_BODY) reject(authError('bodyTooLarge', { limit: MAX_AUTH_BODY }))
      else resolve(Buffer.concat(chunks))
    })
    req.on('error', reject)
  })
}

/** Parses a JSON object body; anything else is `400 bad_json`. */
export function parseAuthJson(body: Buffer): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw authError('badJson', { problem: error instanceof Error ? error.message : String(error) })
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw authError('badJson', { problem: 'the body must be a JSON object' })
  }
  return value as Record<string, unknown>
}
