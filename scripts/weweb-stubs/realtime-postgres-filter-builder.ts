import { LeftOutOfBundleError } from './left-out-error'

/**
 * Stands in for realtime-js's `postgres_changes` filter builder: the plugin passes filters as
 * text (validated by filter/), so RealtimeChannel's `instanceof` check is all that remains.
 */
export class RealtimePostgresFilterBuilder {
  constructor() {
    throw new LeftOutOfBundleError("realtime-js's postgres_changes filter builder")
  }
}

export function postgresChangesFilter(): RealtimePostgresFilterBuilder {
  return new RealtimePostgresFilterBuilder()
}
