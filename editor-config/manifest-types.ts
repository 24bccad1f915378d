/**
 * Shapes of the declarative editor manifest. The manifest is plain JSON (no functions), so any
 * editor can render it; validity is computed by the runtime validators exported next to it
 * (`validateActionInput`, `validateSettings`), never by the editor itself. Field and condition
 * shapes live in the core (`src/core/field-spec.ts`), where actions and triggers describe
 * themselves with them.
 */

import type { ConditionSpec, FieldSpec } from '../src/core/field-spec'

export type { ConditionSpec, FieldOption, FieldSpec, FieldType, VisibleIf } from '../src/core/field-spec'
export type { ValidationIssue } from '../src/core/validation'

export interface ActionSpec {
  /** Fixed action id: `subscribe`, `broadcast`, `presence`, `unsubscribe`. */
  id: string
  /** "Category | Label" as WeWeb shows it, e.g. `Realtime | Subscribe to channel`. */
  name: string
  label: string
  description: string
  isAsync: true
  fields: FieldSpec[]
  /** Sample of what the action resolves, for the editor's result explorer. */
  sampleResult: unknown
}

export interface TriggerSpec {
  /** Fixed trigger id: `broadcast`, `presence`, `postgres-changes`, `channel-status`, `connection-status`. */
  id: string
  label: string
  description: string
  conditions: ConditionSpec[]
  /** A realistic event, shaped exactly like the runtime payload. */
  sampleEvent: unknown
}

export interface VariableSpec {
  /** Fixed variable id: `connection`, `channels`, `messages`, `presence`, `changes`, `collections`. */
  id: string
  label: string
  type: 'object' | 'array' | 'string' | 'number' | 'boolean'
  description: string
  sample: unknown
}

export interface PluginManifest {
  name: string
  version: string
  settings: FieldSpec[]
  actions: ActionSpec[]
  triggers: TriggerSpec[]
  variables: VariableSpec[]
}
