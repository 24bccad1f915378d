import type { RealtimeChannel, RealtimeChannelOptions, RealtimeClient, RealtimeRemoveChannelResponse } from '@supabase/realtime-js'

/** What a REST read answers: the rows, or PostgREST's error. */
export interface RestReadResult {
  data: unknown[] | null
  error: { message: string; code?: string; hint?: string | null; details?: string | null } | null
}

/** A PostgREST read being built (`from(table).select(columns)` …), awaited for its result. */
export interface RestReadQuery extends PromiseLike<RestReadResult> {
  filter(column: string, operator: string, value: unknown): RestReadQuery
  order(column: string, options: { ascending: boolean }): RestReadQuery
  limit(count: number): RestReadQuery
  abortSignal(signal: AbortSignal): RestReadQuery
}

/** One table or view of the REST API. */
export interface RestTable {
  select(columns: string): RestReadQuery
}

/** The tables of one schema. */
export interface RestSchema {
  from(relation: string): RestTable
}

/**
 * What the plugin uses of a Supabase client: Realtime, REST reads of the tables it follows, and,
 * when there is one, the auth client (for the signed-in user's id). A full `SupabaseClient` of
 * `@supabase/supabase-js` is one, so an app can share its own; the plugin's own client is
 * {@link createRealtimeRestClient}, which carries nothing else.
 */
export interface RealtimeRestClient extends RestSchema {
  readonly realtime: RealtimeClient
  channel(name: string, options?: RealtimeChannelOptions): RealtimeChannel
  getChannels(): RealtimeChannel[]
  removeChannel(channel: RealtimeChannel): Promise<RealtimeRemoveChannelResponse>
  removeAllChannels(): Promise<RealtimeRemoveChannelResponse[]>
  /** Tables of another schema than `public`. */
  schema(name: string): RestSchema
  /** Absent from the plugin's own client; a shared client's may throw (one built with `accessToken`). */
  readonly auth?: { getSession(): Promise<{ data: { session: { user: { id: string } } | null } }> }
}
