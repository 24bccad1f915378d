/**
 * The app definition a builder edits: page inputs, app variables, workflows and component bindings.
 * Plain JSON, so it can be exported, imported and autosaved as is.
 */

/** A field value: typed in (text may hold `{{ }}` placeholders) or bound to an expression. */
export type FieldValue = { mode: 'static'; value: unknown } | { mode: 'bind'; expression: string }

/** Page-level events a page workflow can start on. */
export const PAGE_EVENTS = [
  { id: 'page-load', label: 'On page load' },
  { id: 'support-click', label: 'On click: Support button' },
  { id: 'send-click', label: 'On click: Send button' },
  { id: 'leave-click', label: 'On click: Leave chat button' },
  { id: 'message-typing', label: 'On typing in the Message box' },
  { id: 'custom-click', label: 'On click: custom button' },
  { id: 'name-change', label: 'On change: Your name (while the chat is open)' },
  { id: 'todo-add-click', label: 'On click: Add todo button' },
  { id: 'todo-toggle', label: 'On change: a todo\'s Done box (event.id, event.done)' },
  { id: 'board-join', label: 'On click: Join board button (Multiplayer)' },
  { id: 'board-leave', label: 'On click: Leave board button (Multiplayer)' },
] as const

/** Id of a page event. */
export type PageEventId = (typeof PAGE_EVENTS)[number]['id']

/** What starts a workflow: a page event (page workflow) or a plugin trigger (app workflow). */
export type WorkflowTrigger =
  | { type: 'page'; event: PageEventId }
  | { type: 'plugin'; triggerId: string; conditions: Record<string, string | null> }

/** Runs one of the plugin's actions with inputs built from the step's fields. */
export interface ActionStep {
  id: string
  type: 'action'
  actionId: string
  /** Keyed by the manifest field name (dotted, e.g. `broadcast.self`). */
  values: Record<string, FieldValue>
}

/** Changes an app variable or a page input. */
export interface ChangeVariableStep {
  id: string
  type: 'change-variable'
  /** `variables.<name>` or `inputs.<name>`. */
  target: string
  mode: 'set' | 'append'
  value: FieldValue
}

/** One step of a workflow. */
export type WorkflowStep = ActionStep | ChangeVariableStep

/** A trigger and its steps. */
export interface WorkflowDefinition {
  id: string
  name: string
  trigger: WorkflowTrigger
  steps: WorkflowStep[]
}

/** A page input (a text box on the page) and its starting value. */
export interface PageInputDefinition {
  name: string
  label: string
  default: string
}

/** An app variable the workflows can change. */
export interface AppVariableDefinition {
  name: string
  type: 'array' | 'object' | 'string' | 'number' | 'boolean'
  default: unknown
}

/** Bindable properties of the page components, each an expression. */
export interface ComponentBindings {
  chatMessages: string
  chatAuthor: string
  chatText: string
  chatSelf: string
  onlineCount: string
  avatars: string
  avatarLabel: string
  typing: string
  connectionStatus: string
  channelStatus: string
  todoRows: string
  todoStatus: string
  customButtonLabel: string
  cursors: string
  cursorLabel: string
  cursorColor: string
  cursorX: string
  cursorY: string
  cursorIdle: string
}

/** Labels and help for every component binding, in display order. */
export const COMPONENT_BINDINGS: ReadonlyArray<{ key: keyof ComponentBindings; component: string; label: string; help: string }> = [
  { key: 'chatMessages', component: 'Chat message list', label: 'Messages', help: 'A list of messages, e.g. variables.chatLog' },
  { key: 'chatAuthor', component: 'Chat message list', label: 'Author of a message', help: 'Read from item, e.g. item.name' },
  { key: 'chatText', component: 'Chat message list', label: 'Text of a message', help: 'Read from item, e.g. item.text' },
  { key: 'chatSelf', component: 'Chat message list', label: 'Message is mine', help: 'True for your own messages, e.g. item.self' },
  { key: 'onlineCount', component: 'Online count', label: 'Online count', help: 'A number, e.g. variables.presence.chat.count' },
  { key: 'avatars', component: 'Avatar stack', label: 'People online', help: 'A list, e.g. variables.presence.chat.members' },
  { key: 'avatarLabel', component: 'Avatar stack', label: 'Name of a person', help: 'Read from item, e.g. item.state.name' },
  { key: 'typing', component: 'Typing indicator', label: 'Recent events', help: 'Broadcast events of the channel, e.g. variables.messages.chat' },
  { key: 'connectionStatus', component: 'Status badge', label: 'Connection status', help: 'e.g. variables.connection.status' },
  { key: 'channelStatus', component: 'Status badge', label: 'Channel status', help: 'e.g. variables.channels.chat.status' },
  { key: 'todoRows', component: 'Live table', label: 'Rows', help: 'A list of rows, e.g. variables.collections.todos.todos' },
  { key: 'todoStatus', component: 'Live table', label: 'Table channel status', help: 'e.g. variables.channels.todos.status' },
  { key: 'customButtonLabel', component: 'Custom button', label: 'Button label', help: 'Text of the button, e.g. "Wave"' },
  { key: 'cursors', component: 'Multiplayer board', label: 'Cursors (repeat)', help: "The other people's pointers, e.g. variables.cursors.chat" },
  { key: 'cursorLabel', component: 'Multiplayer board', label: 'Name of a cursor', help: 'Read from item, e.g. item.label' },
  { key: 'cursorColor', component: 'Multiplayer board', label: 'Colour of a cursor', help: 'Read from item, e.g. item.color' },
  { key: 'cursorX', component: 'Multiplayer board', label: 'Left (0 to 1)', help: 'Read from item, e.g. item.x; placed at left = x × 100%' },
  { key: 'cursorY', component: 'Multiplayer board', label: 'Top (0 to 1)', help: 'Read from item, e.g. item.y; placed at top = y × 100%' },
  { key: 'cursorIdle', component: 'Multiplayer board', label: 'Cursor is idle', help: 'Read from item, e.g. item.idle (dims the cursor)' },
]

/** The whole app. `format` and `version` identify exported files. */
export interface AppDefinition {
  format: 'realtime-playground-app'
  version: 1
  name: string
  inputs: PageInputDefinition[]
  variables: AppVariableDefinition[]
  workflows: WorkflowDefinition[]
  bindings: ComponentBindings
}
