import { stableJson } from '../filter'

const MASK_27 = 2 ** 27 - 1

/**
 * The id of one `postgres_changes` binding, echoed in the join reply and carried in `ids` of every
 * change frame: a stable 27-bit hash (0..2^27-1, like the real server's `phash2`) of the binding
 * params as sent, so identical bindings always get identical ids.
 */
export function bindingId(params: Record<string, unknown>): number {
  const text = stableJson(params)
  // NOTE: FNV-1a 32-bit over UTF-16 code units, folded to 27 bits.
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return ((hash >>> 0) ^ (hash >>> 27)) & MASK_27
}
