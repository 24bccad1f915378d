import type { ActionEditor } from './define-action'
import { CHANNEL_TEXT, TIMEOUT_TEXT } from './shared-inputs'
import type { SUBSCRIBE_INPUTS, SubscribeResult } from './subscribe-to-channel'

/** How the editor shows "Subscribe to channel" (editor-only: the runtime never imports it). */
export const subscribeToChannelEditor = {
  label: 'Subscribe to channel',
  description:
    'Join a channel to receive its messages, who is online and database changes. Run again: same settings do nothing, other settings replace the subscription.',
  fields: {
    channel: CHANNEL_TEXT,
    private: { tooltip: 'Only signed-in users allowed by an RLS policy on realtime.messages can join.' },
    'broadcast.self': {
      tooltip: 'Also run "On realtime broadcast" for your own messages (the messages variable always has them).',
    },
    'broadcast.ack': { tooltip: 'Broadcast waits for the server to confirm each message (recommended).' },
    'presence.enabled': { tooltip: 'Keep the presence variable up to date and run "On realtime presence".' },
    'presence.key': {
      tooltip: 'Who you are here; tabs with the same key count once. Empty: the signed-in user id.',
      placeholder: 'user id',
      visibleIf: { field: 'presence.enabled', equals: [true, null] },
    },
    postgresChanges: {
      tooltip: 'Tables to listen to; enable Realtime for each in Supabase (supabase_realtime publication).',
      item: {
        event: { tooltip: 'Which row changes to receive.', options: { '*': 'All events', INSERT: 'Insert', UPDATE: 'Update', DELETE: 'Delete' } },
        schema: { tooltip: 'Usually public.', placeholder: 'public' },
        table: { tooltip: 'e.g. messages.', placeholder: 'messages' },
        filter: {
          tooltip: 'Only rows matching column=operator.value, e.g. room_id=eq.1 (eq, neq, lt, lte, gt, gte, in, is…).',
          placeholder: 'room_id=eq.1',
        },
        primaryKey: { label: 'Primary key', tooltip: 'Column that identifies a row in the collections variable.', placeholder: 'id' },
        load: {
          tooltip: 'Fill the collections variable with the existing rows (matching the filter), kept live and reloaded after a reconnect; off: only new changes. Needs a select policy.',
        },
        limit: {
          tooltip: 'Most rows to load; channels.<name>.collections.<table>.truncated tells when there were more: narrow the filter or raise it.',
          visibleIf: { field: 'load', equals: [true] },
        },
        orderBy: {
          label: 'Order loaded rows by',
          tooltip: 'e.g. created_at (oldest first) or created_at.desc (newest first); with a limit, picks the rows loaded.',
          placeholder: 'created_at.desc',
          visibleIf: { field: 'load', equals: [true] },
        },
      },
    },
    timeoutMs: TIMEOUT_TEXT,
  },
  sampleResult: { channel: 'chat', status: 'SUBSCRIBED' } satisfies SubscribeResult,
} satisfies ActionEditor<typeof SUBSCRIBE_INPUTS>
