import { defineStore, type Pinia } from 'pinia'
import type { RealtimeState } from './realtime-state'

/**
 * Defines the Pinia setup store of one plugin instance. The store exposes the instance's
 * {@link RealtimeState}: the same shallow refs whichever Pinia it is installed in, so the plugin
 * works alone (its own Pinia) and inside an app (the app's Pinia, for devtools and composables).
 */
export function defineRealtimeStore(id: string, state: RealtimeState) {
  return defineStore(id, () => ({
    connection: state.connection,
    channels: state.channels,
    messages: state.messages,
    presence: state.presence,
    changes: state.changes,
    collections: state.collections,
    cursors: state.cursors,
    liveState: state.liveState,
  }))
}

/** The store type of {@link defineRealtimeStore}. */
export type RealtimeStore = ReturnType<ReturnType<typeof defineRealtimeStore>>

/** Instantiates the store in a given Pinia. */
export function useRealtimeStoreIn(definition: ReturnType<typeof defineRealtimeStore>, pinia: Pinia): RealtimeStore {
  return definition(pinia)
}
