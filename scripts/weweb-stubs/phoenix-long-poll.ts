import { LeftOutOfBundleError } from './left-out-error'

/**
 * Stands in for `@supabase/phoenix`'s `LongPoll` transport (and its XHR/fetch polling). The
 * plugin always connects over WebSocket (the browser's, or `realtime.transport`); Phoenix only
 * compares transports against this class, and reaches it when no WebSocket exists at all or with
 * `longPollFallbackMs`, which realtime-js never sets.
 */
class LongPoll {
  constructor() {
    throw new LeftOutOfBundleError('The Phoenix long-poll transport')
  }
}

// NOTE: Phoenix imports its modules' default exports.
export { LongPoll as default }
