/**
 * Public surface of the Supabase Realtime plugin for no-code editors.
 */
export { createRealtimePlugin } from './create-realtime-plugin'
export { RealtimePluginError, isRealtimePluginError, describeErrorCode, ERROR_CODES } from './core/errors'
export { createMemoryHost } from './host/memory-host'
export { createWewebHost } from './host/weweb-host'
export { createWewebPlugin } from './weweb-plugin'
export { useRealtimePlugin } from './composables/use-realtime-plugin'
export { useRealtimeVariables } from './composables/use-realtime-variables'
export { useChannel } from './composables/use-channel'
export { REALTIME_PLUGIN_KEY } from './create-realtime-plugin'
export { matchConditions } from './core/match-conditions'
export { ACTIONS } from '../actions/action-list'
export { TRIGGERS } from '../triggers/trigger-list'
export { MANIFEST, buildManifest, validateActionInput, validateSettings } from '../editor-config/manifest'
export { toWewebConfig } from '../editor-config/weweb-config'
export { TRIGGER_IDS } from './core/trigger-payloads'
export { VARIABLE_IDS } from './core/types'

export type { RealtimePlugin, RealtimePluginOptions, RealtimeVariablesView } from './create-realtime-plugin'
export type { RealtimeInstance, RealtimeInstanceOptions } from './create-realtime-instance'
export type { RealtimeRestClient } from './core/realtime-rest-client'
export type { RealtimeErrorCode, RealtimeErrorJSON, RealtimePluginErrorOptions } from './core/errors'
export type { HostAdapter } from './core/host-adapter'
export type { WewebPluginObject, WewebPluginSettings } from './weweb-plugin'
export type { MemoryHost, MemoryHostOptions, RecordedTrigger, TriggerHandler } from './host/memory-host'
export type { UseChannelReturn } from './composables/use-channel'
export type {
  ChannelPresence,
  ChannelState,
  ChannelStatus,
  ConnectionState,
  LiveMemberState,
  RemoteCursor,
  ConnectionStatus,
  PostgresChangeType,
  PostgresEvent,
  PresenceMember,
  PresenceSelf,
  RealtimeVariables,
  ReceivedChange,
  ReceivedMessage,
  Row,
  VariableId,
} from './core/types'
export type {
  BroadcastTriggerEvent,
  ChannelStatusTriggerEvent,
  ConnectionStatusTriggerEvent,
  PostgresChangesTriggerEvent,
  PresenceTriggerEvent,
  TriggerConditions,
  TriggerId,
  TriggerPayloads,
} from './core/trigger-payloads'
export type { ActionId, ActionDefinition } from '../actions/define-action'
export type { ActionInputs, ActionResults } from '../actions/action-list'
export type { SubscribeInput, PostgresChangeInput, SubscribeResult } from '../actions/subscribe-to-channel'
export type { BroadcastInput } from '../actions/broadcast-message'
export type { PresenceInput } from '../actions/presence-state'
export type { UnsubscribeInput } from '../actions/unsubscribe-from-channel'
export type { ShareCursorInput } from '../actions/share-cursor'
export type { StopCursorInput } from '../actions/stop-cursor'
export type { SetLiveStateInput } from '../actions/set-live-state'
export type { PointerArea, PointerEventSource, PointerWindow } from './core/live/live-types'
export type { PresenceResult } from './runtime/realtime-runtime'
export type { TriggerDefinition } from '../triggers/define-trigger'
export type { PluginSettings } from '../editor-config/validate-settings'
export type { WewebConfig, WewebAction, WewebTrigger, WewebVariable } from '../editor-config/weweb-config'
export type {
  PluginManifest,
  ActionSpec,
  TriggerSpec,
  VariableSpec,
  FieldSpec,
  ValidationIssue,
} from '../editor-config/manifest-types'
