import { ACTIONS } from '../actions/action-list'
import type { ActionId } from '../actions/define-action'
import { TRIGGERS } from '../triggers/trigger-list'
import { TRIGGER_IDS } from '../src/core/trigger-payloads'
import type { RealtimeVariables } from '../src/core/types'
import { VARIABLE_IDS } from '../src/core/types'
import { issue } from '../src/core/validation'
import type { ActionSpec, FieldSpec, PluginManifest, TriggerSpec, VariableSpec, ValidationIssue } from './manifest-types'

const channelField: FieldSpec = {
  name: 'channel',
  type: 'text',
  label: 'Channel',
  tooltip: 'Any name you like, e.g. chat or room:42. Use the same name in every Realtime action of this conversation.',
  required: true,
  bindable: true,
  placeholder: 'chat',
}

const timeoutField = (fallback: number): FieldSpec => ({
  name: 'timeoutMs',
  type: 'number',
  label: 'Timeout (ms)',
  tooltip: 'How long to wait for the server before the action fails.',
  required: false,
  bindable: true,
  default: fallback,
})

const FIELDS: Record<ActionId, FieldSpec[]> = {
  subscribe: [
    channelField,
    { name: 'private', type: 'boolean', label: 'Private channel', tooltip: 'Only signed-in users allowed by a Row Level Security policy on realtime.messages can join.', required: false, bindable: true, default: false },
    { name: 'broadcast.self', type: 'boolean', label: 'Receive own messages', tooltip: 'Also run "On realtime broadcast" for messages this user sends. Own messages always appear in the messages variable.', required: false, bindable: true, default: false },
    { name: 'broadcast.ack', type: 'boolean', label: 'Confirm delivery', tooltip: 'Broadcast waits until the server confirms each message (recommended).', required: false, bindable: true, default: true },
    { name: 'presence.enabled', type: 'boolean', label: 'Presence (who is online)', tooltip: 'Keep the presence variable up to date and run "On realtime presence".', required: false, bindable: true, default: true },
    {
      name: 'presence.key',
      type: 'text',
      label: 'Presence key',
      tooltip: 'Who you are on this channel; several tabs with the same key count once. Empty: the signed-in user id.',
      required: false,
      bindable: true,
      placeholder: 'user id',
      visibleIf: { field: 'presence.enabled', equals: [true, null] },
    },
    {
      name: 'postgresChanges',
      type: 'list',
      label: 'Database changes',
      tooltip: 'Tables to listen to. Realtime must be enabled for each table in Supabase (supabase_realtime publication).',
      required: false,
      bindable: true,
      default: [],
      itemFields: [
        {
          name: 'event',
          type: 'select',
          label: 'Event',
          tooltip: 'Which row changes to receive.',
          required: false,
          bindable: true,
          default: '*',
          options: [
            { label: 'All events', value: '*' },
            { label: 'Insert', value: 'INSERT' },
            { label: 'Update', value: 'UPDATE' },
            { label: 'Delete', value: 'DELETE' },
          ],
        },
        { name: 'schema', type: 'text', label: 'Schema', tooltip: 'Usually public.', required: false, bindable: true, default: 'public', placeholder: 'public' },
        { name: 'table', type: 'text', label: 'Table', tooltip: 'The table name, e.g. messages.', required: true, bindable: true, placeholder: 'messages' },
        { name: 'filter', type: 'text', label: 'Filter', tooltip: 'Only rows matching column=operator.value, e.g. room_id=eq.1 (operators: eq, neq, lt, lte, gt, gte, in, is…).', required: false, bindable: true, placeholder: 'room_id=eq.1' },
        { name: 'primaryKey', type: 'text', label: 'Primary key', tooltip: 'Column that identifies a row in the collections variable.', required: false, bindable: true, default: 'id', placeholder: 'id' },
      ],
    },
    timeoutField(10_000),
  ],
  broadcast: [
    channelField,
    { name: 'event', type: 'text', label: 'Event', tooltip: 'A name for this kind of message, e.g. message or typing. Triggers can filter on it.', required: true, bindable: true, placeholder: 'message' },
    { name: 'payload', type: 'json', label: 'Payload', tooltip: 'The data to send, as an object, e.g. { "text": "hello" }.', required: false, bindable: true, default: {} },
    timeoutField(10_000),
  ],
  presence: [
    channelField,
    {
      name: 'action',
      type: 'select',
      label: 'Action',
      tooltip: 'Track shares your state, Untrack removes it, Get reads who is online.',
      required: true,
      bindable: true,
      default: 'track',
      options: [
        { label: 'Track (share my state)', value: 'track' },
        { label: 'Untrack (go offline)', value: 'untrack' },
        { label: 'Get (who is online)', value: 'get' },
      ],
    },
    { name: 'state', type: 'json', label: 'State', tooltip: 'What others see about you, e.g. { "name": "Ada", "status": "available" }.', required: false, bindable: true, default: {}, visibleIf: { field: 'action', equals: ['track'] } },
    timeoutField(10_000),
  ],
  unsubscribe: [
    { name: 'all', type: 'boolean', label: 'All channels', tooltip: 'Leave every channel, e.g. on sign-out.', required: false, bindable: true, default: false },
    { ...channelField, visibleIf: { field: 'all', equals: [false, null] } },
  ],
}

const SAMPLE_RESULTS: Record<ActionId, unknown> = {
  subscribe: { channel: 'chat', status: 'SUBSCRIBED' },
  broadcast: { status: 'ok' },
  presence: { members: TRIGGERS.presence.sampleEvent.members, count: 2 },
  unsubscribe: { status: 'ok' },
}

const VARIABLE_SPECS: { [K in keyof RealtimeVariables]: Omit<VariableSpec, 'id' | 'sample'> & { sample: RealtimeVariables[K] } } = {
  connection: {
    label: 'Connection',
    type: 'object',
    description: 'The connection to the Realtime server: status (connecting, connected, reconnecting, disconnected), latencyMs, lastError, reconnects.',
    sample: { status: 'connected', latencyMs: 12.5, lastError: null, reconnects: 0, connectedAt: 1_795_000_000_000 },
  },
  channels: {
    label: 'Channels',
    type: 'object',
    description: 'Per channel name: status (JOINING, SUBSCRIBED, CHANNEL_ERROR, TIMED_OUT, CLOSED), error, private, joinedAt, dbReady; after a rejoin resumed, downtimeMs, lastMessageAt, and stale when collections may have missed changes.',
    sample: { chat: { name: 'chat', status: 'SUBSCRIBED', error: null, private: false, joinedAt: 1_795_000_000_000, dbReady: false, bindings: 0, reopens: 0, resumed: false, downtimeMs: null, lastMessageAt: null, stale: false } },
  },
  messages: {
    label: 'Messages',
    type: 'object',
    description: 'Per channel name: the last messages (200 by default), oldest first, each { id, event, payload, receivedAt, self }.',
    sample: { chat: [{ id: 'a1b2c3-m1', event: 'message', payload: { user: 'Ada', text: 'Hello!' }, receivedAt: 1_795_000_000_000, self: false }] },
  },
  presence: {
    label: 'Presence',
    type: 'object',
    description: 'Per channel name: members (one per key, metas merged), count, and self (your key and tracked state).',
    sample: { chat: { members: TRIGGERS.presence.sampleEvent.members, count: 2, self: { key: 'user-ada', tracked: true, state: { name: 'Ada', role: 'agent', status: 'available' } } } },
  },
  changes: {
    label: 'Database changes',
    type: 'object',
    description: 'Per channel name: the last row changes (200 by default), each { id, schema, table, event, new, old, commitTimestamp }.',
    sample: {
      tickets: [
        {
          id: 'a1b2c3-c7',
          schema: 'public',
          table: 'messages',
          event: 'INSERT',
          new: { id: 42, room_id: 1, body: 'My order has not arrived' },
          old: {},
          commitTimestamp: '2026-11-23T11:00:00.123Z',
          errors: null,
          receivedAt: 1_795_000_000_000,
        },
      ],
    },
  },
  collections: {
    label: 'Live collections',
    type: 'object',
    description: 'Per channel and table: the rows received, kept up to date by INSERT, UPDATE and DELETE, without rows that stop matching the filter.',
    sample: { tickets: { messages: [{ id: 42, room_id: 1, body: 'My order has not arrived' }] } },
  },
}

const SETTINGS: FieldSpec[] = [
  { name: 'url', type: 'text', label: 'Project URL', tooltip: 'From Supabase: Project Settings → API, e.g. https://xyz.supabase.co.', required: true, bindable: false, placeholder: 'https://xyz.supabase.co' },
  { name: 'key', type: 'text', label: 'Public (anon) key', tooltip: 'From Supabase: Project Settings → API. Never the service role key.', required: true, bindable: false },
  { name: 'maxMessages', type: 'number', label: 'Messages kept per channel', tooltip: 'How many messages and database changes the variables keep per channel.', required: false, bindable: false, default: 200 },
  { name: 'heartbeatIntervalMs', type: 'number', label: 'Connection check interval (ms)', tooltip: 'How often the connection is checked; a link silent for two intervals is reported lost and reconnected. Lower finds dead links faster.', required: false, bindable: false, default: 5000 },
]

/** Builds the JSON manifest the editor renders. */
export function buildManifest(): PluginManifest {
  const actions: ActionSpec[] = (Object.keys(ACTIONS) as ActionId[]).map((id) => {
    const action = ACTIONS[id]
    return { id, name: action.name, label: action.label, description: action.description, isAsync: true, fields: FIELDS[id], sampleResult: SAMPLE_RESULTS[id] }
  })
  const triggers: TriggerSpec[] = TRIGGER_IDS.map((id) => {
    const t = TRIGGERS[id]
    return { id, label: t.label, description: t.description, conditions: t.conditions, sampleEvent: JSON.parse(JSON.stringify(t.sampleEvent)) as unknown }
  })
  const variables: VariableSpec[] = VARIABLE_IDS.map((id) => ({ id, ...VARIABLE_SPECS[id] }))
  return { name: 'Supabase Realtime', version: '0.1.0', settings: SETTINGS, actions, triggers, variables }
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
