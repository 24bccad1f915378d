/** Default messages-per-second budget of a room: Supabase's Free plan. */
export const DEFAULT_MAX_MESSAGES_PER_SECOND = 100
/** Share of the budget live cursors and state may use; the rest stays free for chat and presence. */
export const LIVE_BUDGET_SHARE = 0.8
/** Send interval when none is given, in milliseconds. */
export const DEFAULT_LIVE_INTERVAL_MS = 50
/** Bounds of a requested send interval, in milliseconds. */
export const MIN_LIVE_INTERVAL_MS = 16
export const MAX_LIVE_INTERVAL_MS = 1000

/** What decides the send interval of one channel. */
export interface LiveBudgetInput {
  /** The fastest interval asked for (cursor or live state), in milliseconds. */
  requestedMs: number
  /** Members in the room, this instance included (each may send, each receives). */
  members: number
  /** The room's messages-per-second budget. */
  maxMessagesPerSecond: number
  /** Extra widening after the server said "Too many messages per second" (1 = none). */
  backoff: number
}

/**
 * The send interval that keeps the whole room inside the budget. The server counts each message
 * once when received and once per subscriber it is delivered to (the sender included), so N
 * members sending r messages per second cost N × r × (1 + N) events per second; live traffic
 * gets {@link LIVE_BUDGET_SHARE} of the budget.
 */
export function liveIntervalMs(input: LiveBudgetInput): number {
  const members = Math.max(1, Math.ceil(input.members))
  const perSecond = (LIVE_BUDGET_SHARE * input.maxMessagesPerSecond) / (members * (members + 1))
  const budgetMs = Math.ceil(1000 / perSecond)
  return Math.ceil(Math.max(input.requestedMs, budgetMs) * Math.max(1, input.backoff))
}
