import type { RealtimeVariablesView } from '../create-realtime-plugin'
import { useRealtimePlugin } from './use-realtime-plugin'

/** The plugin's reactive, read-only variables, for templates and computeds. */
export function useRealtimeVariables(): RealtimeVariablesView {
  return useRealtimePlugin().variables
}
