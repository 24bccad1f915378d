import { broadcastMessage } from './broadcast-message'
import type { ActionDefinition, ActionId } from './define-action'
import { presenceState } from './presence-state'
import { setLiveState } from './set-live-state'
import { shareCursor } from './share-cursor'
import { stopCursor } from './stop-cursor'
import { subscribeToChannel } from './subscribe-to-channel'
import { unsubscribeFromChannel } from './unsubscribe-from-channel'

/** Every workflow action by id, in editor order. */
export const ACTIONS = {
  subscribe: subscribeToChannel,
  broadcast: broadcastMessage,
  presence: presenceState,
  unsubscribe: unsubscribeFromChannel,
  shareCursor,
  stopCursor,
  setLiveState,
} as const satisfies Record<ActionId, ActionDefinition<never, unknown>>

/** Action id → its result type. */
export interface ActionResults {
  subscribe: Awaited<ReturnType<typeof subscribeToChannel.execute>>
  broadcast: Awaited<ReturnType<typeof broadcastMessage.execute>>
  presence: Awaited<ReturnType<typeof presenceState.execute>>
  unsubscribe: Awaited<ReturnType<typeof unsubscribeFromChannel.execute>>
  shareCursor: Awaited<ReturnType<typeof shareCursor.execute>>
  stopCursor: Awaited<ReturnType<typeof stopCursor.execute>>
  setLiveState: Awaited<ReturnType<typeof setLiveState.execute>>
}

/** Action id → its input type. */
export interface ActionInputs {
  subscribe: Parameters<typeof subscribeToChannel.execute>[0]
  broadcast: Parameters<typeof broadcastMessage.execute>[0]
  presence: Parameters<typeof presenceState.execute>[0]
  unsubscribe: Parameters<typeof unsubscribeFromChannel.execute>[0]
  shareCursor: Parameters<typeof shareCursor.execute>[0]
  stopCursor: Parameters<typeof stopCursor.execute>[0]
  setLiveState: Parameters<typeof setLiveState.execute>[0]
}
