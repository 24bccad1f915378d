import type { ActionEditor } from './define-action'
import { CHANNEL_TEXT, TIMEOUT_TEXT } from './shared-inputs'
import type { SUBSCRIBE_INPUTS, SubscribeResult } from './subscribe-to-channel'

/** How the editor shows "Subscribe to channel" (editor-only: the runtime never imports it). */
export const subscribeToChannelEditor = {
  label: 'Subscribe to channel',
  description:
    'Join a realtime channel to receive its messages, who is online and database changes. Running it again with the same settings does nothing; with other settings it replaces the subscription.',
  fields: {
    channel: CHANNEL_TEXT,
    private: { label: 'Private channel', tooltip: 'Only signed-in users allowed by a Row Level Security policy on realtime.messages can join.' },
    'broadcast.self': {
      label: 'Receive own messages',
      tooltip: 'Also run "On realtime broadcast" for messages this user sends. Own messages always appear in the messages variable.',
    },
    'broadcast.ack': { label: 'Confirm delivery', tooltip: 'Broadcast waits until the server confirms each message (recommended).' },
    'presence.enabled': { label: 'Presence (who is online)', tooltip: 'Keep the presence variable up to date and run "On realtime presence".' },
    'presence.key': {
      label: 'Presence key',
      tooltip: 'Who you are on this channel; several tabs with the same key count once. Empty: the signed-in user id.',
      placeholder: 'user id',
      visibleIf: { field: 'presence.enabled', equals: [true, null] },
    },
    postgresChanges: {
      label: 'Database changes',
      tooltip: 'Tables to listen to. Realtime must be enabled for each table in Supabase (supabase_realtime publication).',
      item: {
        event: { label: 'Event', tooltip: 'Which row changes to receive.', options: { '*': 'All events', INSERT: 'Insert', UPDATE: 'Update', DELETE: 'Delete' } },
        schema: { label: 'Schema', tooltip: 'Usually public.', placeholder: 'public' },
        table: { label: 'Table', tooltip: 'The table name, e.g. messages.', placeholder: 'messages' },
        filter: {
          label: 'Filter',
          tooltip: 'Only rows matching column=operator.value, e.g. room_id=eq.1 (operators: eq, neq, lt, lte, gt, gte, in, is…).',
          placeholder: 'room_id=eq.1',
        },
        primaryKey: { label: 'Primary key', tooltip: 'Column that identifies a row in the collections variable.', placeholder: 'id' },
        load: {
          label: 'Load existing rows',
          tooltip:
            'Fill the collections variable with the rows that already exist (with this filter), then keep it live: no change is missed or applied twice, and it reloads after a reconnect. Turn on to show a table live; leave off to only react to new changes. The user needs a select policy on the table.',
        },
        limit: {
          label: 'Rows to load',
          tooltip: 'Most rows to load (1000 by default). channels.<name>.collections.<table>.truncated says when the table had more: narrow the filter, or raise the limit.',
          visibleIf: { field: 'load', equals: [true] },
        },
        orderBy: {
          label: 'Order loaded rows by',
          tooltip: 'A column, e.g. created_at (oldest first) or created_at.desc (newest first). With a limit, this decides which rows are loaded.',
          placeholder: 'created_at.desc',
          visibleIf: { field: 'load', equals: [true] },
        },
      },
    },
    timeoutMs: TIMEOUT_TEXT,
  },
  sampleResult: { channel: 'chat', status: 'SUBSCRIBED' } satisfies SubscribeResult,
} satisfies ActionEditor<typeof SUBSCRIBE_INPUTS>
