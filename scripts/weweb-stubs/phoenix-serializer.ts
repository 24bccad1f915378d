import { LeftOutOfBundleError } from './left-out-error'

/**
 * Stands in for `@supabase/phoenix`'s default serializer: realtime-js always passes its own
 * `encode`/`decode` (its V2 serializer, or JSON for `vsn: '1.0.0'`), so Phoenix's are never called.
 */
const Serializer = {
  encode(): never {
    throw new LeftOutOfBundleError("Phoenix's default message encoder")
  },
  decode(): never {
    throw new LeftOutOfBundleError("Phoenix's default message decoder")
  },
}

// NOTE: Phoenix imports its modules' default exports.
export { Serializer as default }
