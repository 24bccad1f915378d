import type { ComponentBindings, WorkflowDefinition } from './app-definition'

/** The channel the Multiplayer example shares with the support chat: pointers and chat in one room. */
const CHANNEL = 'chat'

/**
 * The "Multiplayer" example: "Join the board" subscribes the chat channel (presence on), tracks
 * the user's name and shares the pointer over the board element; "Leave the board" stops it. The
 * board's overlay is a repeat bound to `variables.cursors.chat`, each cursor placed at
 * left = x × 100 %, top = y × 100 %.
 */
export function multiplayerWorkflows(): WorkflowDefinition[] {
  return [
    {
      id: 'join-board',
      name: 'Join the multiplayer board',
      trigger: { type: 'page', event: 'board-join' },
      steps: [
        {
          id: 'subscribe-board',
          type: 'action',
          actionId: 'subscribe',
          values: {
            channel: { mode: 'static', value: CHANNEL },
            'broadcast.self': { mode: 'static', value: true },
            'presence.enabled': { mode: 'static', value: true },
          },
        },
        {
          id: 'track-board-presence',
          type: 'action',
          actionId: 'presence',
          values: {
            channel: { mode: 'static', value: CHANNEL },
            action: { mode: 'static', value: 'track' },
            state: { mode: 'bind', expression: '{ name: inputs.name }' },
          },
        },
        {
          id: 'share-pointer',
          type: 'action',
          actionId: 'shareCursor',
          values: {
            channel: { mode: 'static', value: CHANNEL },
            area: { mode: 'static', value: '#multiplayer-board' },
            label: { mode: 'bind', expression: 'inputs.name' },
          },
        },
      ],
    },
    {
      id: 'leave-board',
      name: 'Leave the multiplayer board',
      trigger: { type: 'page', event: 'board-leave' },
      steps: [{ id: 'stop-pointer', type: 'action', actionId: 'stopCursor', values: { channel: { mode: 'static', value: CHANNEL } } }],
    },
  ]
}

/** The bindings of the board's cursor overlay (a repeat over the cursors of the channel). */
export const MULTIPLAYER_BINDINGS = {
  cursors: `variables.cursors.${CHANNEL}`,
  cursorLabel: 'item.label',
  cursorColor: 'item.color',
  cursorX: 'item.x',
  cursorY: 'item.y',
  cursorIdle: 'item.idle',
} as const satisfies Partial<ComponentBindings>
