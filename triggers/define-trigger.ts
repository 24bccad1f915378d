import type { ConditionSpec, FieldOption } from '../src/core/field-spec'
import type { TriggerId, TriggerPayloads } from '../src/core/trigger-payloads'

/** One app-level trigger: its conditions and a realistic event, typed against the runtime payload. */
export interface TriggerDefinition<K extends TriggerId> {
  id: K
  label: string
  description: string
  conditions: ConditionSpec[]
  sampleEvent: TriggerPayloads[K]
}

/** Declares a trigger (identity function that fixes the types). */
export function defineTrigger<K extends TriggerId>(definition: TriggerDefinition<K>): TriggerDefinition<K> {
  return definition
}

/** The usual "Channel" condition. */
export const channelCondition: ConditionSpec = { key: 'channel', label: 'Channel', type: 'text', placeholder: 'All channels' }

/** A select condition whose first option, `anyLabel` (value `null`), matches every value. */
export function selectCondition(key: string, label: string, anyLabel: string, options: Array<[label: string, value: string]>): ConditionSpec {
  const choices: FieldOption[] = options.map(([optionLabel, value]) => ({ label: optionLabel, value }))
  return { key, label, type: 'select', placeholder: anyLabel, options: [{ label: anyLabel, value: null }, ...choices] }
}
