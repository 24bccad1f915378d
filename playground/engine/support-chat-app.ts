import type { AppDefinition } from './app-definition'
import { MULTIPLAYER_BINDINGS, multiplayerWorkflows } from './multiplayer-app'

/**
 * The preloaded app: a support chat on channel `chat` (subscribe, track presence, broadcast, append
 * incoming messages to a list), private when the visitor is signed in (`variables.auth`, as WeWeb's
 * Supabase Auth plugin exposes it), and a live `todos` table: its existing rows are loaded on open, then
 * Postgres changes keep it live; "Add todo" and the Done boxes write with supabase-js (playground
 * stand-ins for the Supabase plugin's data actions) and the change comes back through Realtime.
 * The Multiplayer board shares every window's pointer on the chat channel (multiplayer-app.ts).
 */
export function supportChatApp(): AppDefinition {
  return {
    format: 'realtime-playground-app',
    version: 1,
    name: 'Support chat',
    inputs: [
      { name: 'name', label: 'Your name', default: '' },
      { name: 'message', label: 'Message', default: '' },
      { name: 'newTodo', label: 'New todo', default: '' },
    ],
    variables: [{ name: 'chatLog', type: 'array', default: [] }],
    workflows: [
      {
        id: 'open-support',
        name: 'Open the support chat',
        trigger: { type: 'page', event: 'support-click' },
        steps: [
          {
            id: 'subscribe-chat',
            type: 'action',
            actionId: 'subscribe',
            values: {
              channel: { mode: 'static', value: 'chat' },
              private: { mode: 'bind', expression: 'variables.auth.isAuthenticated' },
              'broadcast.self': { mode: 'static', value: true },
              'presence.enabled': { mode: 'static', value: true },
            },
          },
          {
            id: 'track-presence',
            type: 'action',
            actionId: 'presence',
            values: {
              channel: { mode: 'static', value: 'chat' },
              action: { mode: 'static', value: 'track' },
              state: { mode: 'bind', expression: '{ name: inputs.name }' },
            },
          },
        ],
      },
      {
        id: 'send-message',
        name: 'Send a chat message',
        trigger: { type: 'page', event: 'send-click' },
        steps: [
          {
            id: 'broadcast-message',
            type: 'action',
            actionId: 'broadcast',
            values: {
              channel: { mode: 'static', value: 'chat' },
              event: { mode: 'static', value: 'message' },
              payload: { mode: 'bind', expression: '{ name: inputs.name, text: inputs.message }' },
            },
          },
          { id: 'clear-message', type: 'change-variable', target: 'inputs.message', mode: 'set', value: { mode: 'static', value: '' } },
        ],
      },
      {
        id: 'send-typing',
        name: 'Tell others I am typing',
        trigger: { type: 'page', event: 'message-typing' },
        steps: [
          {
            id: 'broadcast-typing',
            type: 'action',
            actionId: 'broadcast',
            values: {
              channel: { mode: 'static', value: 'chat' },
              event: { mode: 'static', value: 'typing' },
              payload: { mode: 'bind', expression: '{ name: inputs.name }' },
            },
          },
        ],
      },
      {
        id: 'share-new-name',
        name: 'Share my new name',
        trigger: { type: 'page', event: 'name-change' },
        steps: [
          {
            id: 'track-new-name',
            type: 'action',
            actionId: 'presence',
            values: {
              channel: { mode: 'static', value: 'chat' },
              action: { mode: 'static', value: 'track' },
              state: { mode: 'bind', expression: '{ name: inputs.name }' },
            },
          },
        ],
      },
      {
        id: 'leave-chat',
        name: 'Leave the chat',
        trigger: { type: 'page', event: 'leave-click' },
        steps: [{ id: 'unsubscribe-chat', type: 'action', actionId: 'unsubscribe', values: { channel: { mode: 'static', value: 'chat' } } }],
      },
      {
        id: 'watch-todos',
        name: 'Watch the todos table',
        trigger: { type: 'page', event: 'page-load' },
        steps: [
          {
            id: 'subscribe-todos',
            type: 'action',
            actionId: 'subscribe',
            values: {
              channel: { mode: 'static', value: 'todos' },
              postgresChanges: { mode: 'static', value: [{ event: '*', schema: 'public', table: 'todos', load: true, orderBy: 'id' }] },
            },
          },
        ],
      },
      {
        id: 'add-todo',
        name: 'Add a todo',
        trigger: { type: 'page', event: 'todo-add-click' },
        steps: [
          {
            id: 'insert-todo',
            type: 'action',
            actionId: 'supabase-insert',
            values: { table: { mode: 'static', value: 'todos' }, values: { mode: 'bind', expression: '{ task: inputs.newTodo }' } },
          },
          { id: 'clear-new-todo', type: 'change-variable', target: 'inputs.newTodo', mode: 'set', value: { mode: 'static', value: '' } },
        ],
      },
      {
        id: 'toggle-todo',
        name: 'Tick a todo done',
        trigger: { type: 'page', event: 'todo-toggle' },
        steps: [
          {
            id: 'update-todo',
            type: 'action',
            actionId: 'supabase-update',
            values: {
              table: { mode: 'static', value: 'todos' },
              values: { mode: 'bind', expression: '{ is_complete: event.done }' },
              matchColumn: { mode: 'static', value: 'id' },
              matchValue: { mode: 'bind', expression: 'event.id' },
            },
          },
        ],
      },
      {
        id: 'append-message',
        name: 'Show incoming chat messages',
        trigger: { type: 'plugin', triggerId: 'broadcast', conditions: { channel: 'chat', event: 'message' } },
        steps: [
          {
            id: 'append-to-chat-log',
            type: 'change-variable',
            target: 'variables.chatLog',
            mode: 'append',
            value: { mode: 'bind', expression: '{ name: event.payload.name, text: event.payload.text, self: event.self }' },
          },
        ],
      },
      ...multiplayerWorkflows(),
    ],
    bindings: {
      chatMessages: 'variables.chatLog',
      chatAuthor: 'item.name',
      chatText: 'item.text',
      chatSelf: 'item.self',
      onlineCount: 'variables.presence.chat.count',
      avatars: 'variables.presence.chat.members',
      avatarLabel: 'item.state.name ?? item.key',
      typing: 'variables.messages.chat',
      connectionStatus: 'variables.connection.status',
      channelStatus: 'variables.channels.chat.status',
      todoRows: 'variables.collections.todos.todos',
      todoStatus: 'variables.channels.todos.status',
      customButtonLabel: '"Wave"',
      ...MULTIPLAYER_BINDINGS,
    },
  }
}
