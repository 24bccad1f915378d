import { ACTIONS } from '../actions/action-list'
import { broadcastMessageEditor } from '../actions/broadcast-message'
import type { ActionEditor, ActionId } from '../actions/define-action'
import { presenceStateEditor } from '../actions/presence-state'
import { setLiveStateEditor } from '../actions/set-live-state'
import { shareCursorEditor } from '../actions/share-cursor'
import { stopCursorEditor } from '../actions/stop-cursor'
import { subscribeToChannelEditor } from '../actions/subscribe-to-channel-editor'
import { unsubscribeFromChannelEditor } from '../actions/unsubscribe-from-channel'
import { TRIGGERS } from '../triggers/trigger-list'
import { TRIGGER_IDS } from '../src/core/trigger-payloads'
import type { InputFields } from '../src/core/field-spec'
import type { PresenceResult } from '../src/runtime/realtime-runtime'
import type { RealtimeVariables } from '../src/core/types'
import { VARIABLE_IDS } from '../src/core/types'
import { issue } from '../src/core/validation'
import { toFieldSpecs } from './field-specs'
import type { ActionSpec, PluginManifest, TriggerSpec, VariableSpec, ValidationIssue } from './manifest-types'
import { SETTINGS_INPUTS, SETTINGS_TEXT } from './validate-settings'

// NOTE: the samples repeat no data: messages, changes and collections are the trigger samples
// without their channel, and Presence state resolves the presence trigger's members.
const { channel: chat, ...message } = TRIGGERS.broadcast.sampleEvent
const { channel: tickets, ...change } = TRIGGERS['postgres-changes'].sampleEvent
const { members, count } = TRIGGERS.presence.sampleEvent

/** The editor half of each action's description (the runtime half is `ACTIONS`). */
const EDITORS: { [K in ActionId]: ActionEditor<(typeof ACTIONS)[K]['inputs']> } = {
  subscribe: subscribeToChannelEditor,
  broadcast: broadcastMessageEditor,
  presence: { ...presenceStateEditor, sampleResult: { members, count } satisfies PresenceResult },
  unsubscribe: unsubscribeFromChannelEditor,
  shareCursor: shareCursorEditor,
  stopCursor: stopCursorEditor,
  setLiveState: setLiveStateEditor,
}

/** Each variable's editor text and sample; every variable is an object (keyed by channel, or the connection), unless `type` says otherwise. */
const VARIABLE_SPECS: { [K in keyof RealtimeVariables]: Omit<VariableSpec, 'id' | 'type' | 'sample'> & { type?: VariableSpec['type']; sample: RealtimeVariables[K] } } = {
  connection: {
    label: 'Connection',
    description: 'The connection to the Realtime server: status (connecting, connected, reconnecting, disconnected), latencyMs, lastError, reconnects.',
    sample: { status: 'connected', latencyMs: 12.5, lastError: null, reconnects: 0, connectedAt: 1_795_000_000_000 },
  },
  channels: {
    label: 'Channels',
    description:
      'Per channel name: status (JOINING, SUBSCRIBED, CHANNEL_ERROR, TIMED_OUT, CLOSED), error, private, joinedAt, dbReady, liveIntervalMs (send interval of your cursor or live state); after a rejoin: resumed, downtimeMs, lastMessageAt, stale (collections may have missed changes); collections.<table>: loading, loadedAt, error, truncated.',
    sample: {
      chat: { name: 'chat', status: 'SUBSCRIBED', error: null, private: false, joinedAt: 1_795_000_000_000, dbReady: false, bindings: 0, reopens: 0, resumed: false, downtimeMs: null, lastMessageAt: null, stale: false, liveIntervalMs: 75 },
    },
  },
  messages: {
    label: 'Messages',
    description: 'Per channel name: the last messages (200 by default), oldest first, each { id, event, payload, receivedAt, self }.',
    sample: { [chat]: [message] },
  },
  presence: {
    label: 'Presence',
    description: 'Per channel name: members (one per key, metas merged), count, and self (your key and tracked state).',
    sample: { chat: { members, count, self: { key: 'user-ada', tracked: true, state: { name: 'Ada', role: 'agent', status: 'available' } } } },
  },
  changes: {
    label: 'Database changes',
    description: 'Per channel name: the last row changes (200 by default), each { id, schema, table, event, new, old, commitTimestamp }.',
    sample: { [tickets]: [change] },
  },
  collections: {
    label: 'Live collections',
    description: 'Per channel and table: the rows (with "Load existing rows", the existing ones first), kept up to date by INSERT, UPDATE and DELETE; rows that stop matching the filter leave.',
    sample: { [tickets]: { [change.table]: [change.new] } },
  },
  cursors: {
    label: 'Cursors',
    description:
      "Per channel name: the others' pointers (Share cursor), each { key, x, y, label, color, updatedAt, idle }. x and y go 0..1 across the shared area: bind a repeat with left = x × 100%, top = y × 100%. Idle after 3 s still; gone when its member leaves.",
    sample: { board: [{ key: 'user-bob', x: 0.42, y: 0.17, label: 'Bob', color: 'hsl(212, 75%, 42%)', updatedAt: 1_795_000_000_000, idle: false }] },
  },
  liveState: {
    label: 'Live state',
    description: "Per channel name: the other members' latest live state (Set live state), each { key, state, updatedAt }; removed when the member clears it or leaves.",
    sample: { board: [{ key: 'user-bob', state: { slider: 42 }, updatedAt: 1_795_000_000_000 }] },
  },
}

/** Builds the JSON manifest the editor renders. */
export function buildManifest(): PluginManifest {
  const actions: ActionSpec[] = (Object.keys(ACTIONS) as ActionId[]).map((id) => {
    const action = ACTIONS[id]
    const editor = EDITORS[id] as ActionEditor<InputFields>
    return { id, name: action.name, label: editor.label, description: editor.description, isAsync: true, fields: toFieldSpecs(action.inputs, editor.fields), sampleResult: editor.sampleResult }
  })
  const triggers: TriggerSpec[] = TRIGGER_IDS.map((id) => {
    const t = TRIGGERS[id]
    return { id, label: t.label, description: t.description, conditions: t.conditions, sampleEvent: JSON.parse(JSON.stringify(t.sampleEvent)) as unknown }
  })
  const variables: VariableSpec[] = VARIABLE_IDS.map((id) => ({ id, type: 'object', ...VARIABLE_SPECS[id] }))
  return { name: 'Supabase Realtime', version: '0.1.0', settings: toFieldSpecs(SETTINGS_INPUTS, SETTINGS_TEXT).map((f) => ({ ...f, bindable: false })), actions, triggers, variables }
}

/** The manifest of the plugin (plain JSON). */
export const MANIFEST: PluginManifest = buildManifest()

/** Validates the input of an action by id, with the runtime's own validator. */
export function validateActionInput(actionId: string, input: unknown): ValidationIssue[] {
  const action = (ACTIONS as Record<string, { validate(input: unknown): ValidationIssue[] } | undefined>)[actionId]
  if (!action) return [issue('actionId', 'INVALID_VALUE', `There is no Realtime action "${actionId}".`, `Use one of: ${Object.keys(ACTIONS).join(', ')}.`)]
  return action.validate(input)
}

export { validateSettings } from './validate-settings'
