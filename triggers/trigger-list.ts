import type { TriggerId } from '../src/core/trigger-payloads'
import { broadcastTrigger } from './broadcast-trigger'
import { channelStatusTrigger } from './channel-status-trigger'
import { connectionStatusTrigger } from './connection-status-trigger'
import type { TriggerDefinition } from './define-trigger'
import { postgresChangesTrigger } from './postgres-changes-trigger'
import { presenceTrigger } from './presence-trigger'

/** Every app-level trigger by id, in editor order. */
export const TRIGGERS: { [K in TriggerId]: TriggerDefinition<K> } = {
  broadcast: broadcastTrigger,
  presence: presenceTrigger,
  'postgres-changes': postgresChangesTrigger,
  'channel-status': channelStatusTrigger,
  'connection-status': connectionStatusTrigger,
}

export { matchConditions } from '../src/core/match-conditions'
