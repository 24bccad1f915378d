import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { reactive, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { ActionSpec, TriggerSpec, ValidationIssue } from '../../editor-config/manifest-types'
import { matchConditions } from '../../src/index'
import type { AppDefinition, PageEventId, WorkflowDefinition } from '../engine/app-definition'
import { cloneJson } from '../engine/clone-json'
import { createAutosave, type KeyValueStorage } from '../engine/autosave'
import type { ExpressionScope } from '../engine/evaluate-expression'
import { parseAppDefinitionText, type DefinitionProblem } from '../engine/parse-app-definition'
import { runWorkflow, type WorkflowRun } from '../engine/run-workflow'
import { supportChatApp } from '../engine/support-chat-app'
import { DATA_ACTIONS } from '../engine/data-actions'
import type { ConnectionSettings, EmittedTrigger, PluginSession, PluginSessionFactory } from './plugin-session'
import type { AuthView, PlaygroundAuth } from './playground-auth'

const MAX_RUNS = 50
const MAX_EVENTS = 500
const SETTINGS_KEY = 'realtime-playground:settings'

/** Options of {@link createPlayground}. */
export interface PlaygroundOptions {
  storage: KeyValueStorage
  /** Settings used until the user saves their own. */
  defaults: ConnectionSettings
  createSession: PluginSessionFactory
  /** The auth client of a project (sign-in panel, `variables.auth`, data actions), if the page has one. */
  auth?: (settings: ConnectionSettings) => PlaygroundAuth
}

/** The state and commands of the playground, shared by every component. */
export interface Playground {
  definition: Ref<AppDefinition>
  inputs: Record<string, string>
  appVariables: ShallowRef<Record<string, unknown>>
  settings: ShallowRef<ConnectionSettings>
  defaults: ConnectionSettings
  session: ShallowRef<PluginSession | null>
  /** Supabase Auth of the current project; signing in or out starts the plugin again as that user. */
  auth: ShallowRef<PlaygroundAuth | null>
  sessionError: ShallowRef<string | null>
  runs: ShallowRef<WorkflowRun[]>
  /** The last failed run not yet dismissed. */
  failure: ShallowRef<WorkflowRun | null>
  triggers: ShallowRef<EmittedTrigger[]>
  saved: ShallowRef<{ at: number | null; error: string | null }>
  scope(event?: unknown): ExpressionScope
  actionSpec(actionId: string): ActionSpec | undefined
  triggerSpec(triggerId: string): TriggerSpec | undefined
  /** Runs the workflows of a page event; `payload` is merged into the event (e.g. the row a button belongs to). */
  runPageEvent(event: PageEventId, payload?: Record<string, unknown>): Promise<WorkflowRun[]>
  runWorkflowNow(workflow: WorkflowDefinition, event?: unknown): Promise<WorkflowRun>
  applySettings(settings: ConnectionSettings): Promise<void>
  resetSettings(): Promise<void>
  importDefinition(text: string): DefinitionProblem | null
  exportDefinition(): string
  resetDefinition(): void
  /** Saves the definition now (also happens by itself shortly after each change). */
  save(): void
  start(): Promise<void>
  dispose(): Promise<void>
}

function initialValue(value: unknown): unknown {
  return value === undefined ? null : cloneJson(value)
}

/** Creates the playground state. Call `start()` to connect and run the page-load workflows. */
export function createPlayground(options: PlaygroundOptions): Playground {
  const saved = shallowRef<{ at: number | null; error: string | null }>({ at: null, error: null })
  const autosave = createAutosave({
    storage: options.storage,
    onSaved: (at) => (saved.value = { at, error: null }),
    onError: (error) => (saved.value = { at: saved.value.at, error: `Could not save: ${String(error)}` }),
  })
  const definition = ref<AppDefinition>(autosave.load() ?? supportChatApp()) as Ref<AppDefinition>
  const inputs = reactive<Record<string, string>>({})
  const appVariables = shallowRef<Record<string, unknown>>({})
  const settings = shallowRef<ConnectionSettings>(loadSettings(options.storage) ?? options.defaults)
  const session = shallowRef<PluginSession | null>(null)
  const auth = shallowRef<PlaygroundAuth | null>(null)
  let stopFollowingAuth: (() => void) | null = null
  const signedOut: AuthView = { isAuthenticated: false, user: null }
  const sessionError = shallowRef<string | null>(null)
  const runs = shallowRef<WorkflowRun[]>([])
  const failure = shallowRef<WorkflowRun | null>(null)
  const triggers = shallowRef<EmittedTrigger[]>([])
  let generation = 0
  const stopAutosave = watch(definition, (value) => autosave.schedule(value), { deep: true })

  function resetPageState(): void {
    for (const key of Object.keys(inputs)) delete inputs[key]
    for (const input of definition.value.inputs) inputs[input.name] = input.default
    const vars: Record<string, unknown> = {}
    for (const variable of definition.value.variables) vars[variable.name] = initialValue(variable.default)
    appVariables.value = vars
  }
  resetPageState()

  function scope(event?: unknown): ExpressionScope {
    const pluginVariables = session.value?.readVariables() ?? {}
    const authView = auth.value?.view.value ?? signedOut
    return { event, variables: { ...pluginVariables, auth: authView, ...appVariables.value }, inputs: { ...inputs } }
  }

  function record(run: WorkflowRun): WorkflowRun {
    runs.value = [run, ...runs.value].slice(0, MAX_RUNS)
    if (run.status === 'failed') failure.value = run
    return run
  }

  // NOTE: playground-only data actions (stand-ins for WeWeb's Supabase plugin) write with their own client.
  let dataClient: { key: string; client: SupabaseClient } | null = null
  function dataClientFor(): SupabaseClient {
    // NOTE: as WeWeb's Supabase plugin does, data actions run as the signed-in user when there is one.
    if (auth.value) return auth.value.client
    const key = `${settings.value.url} ${settings.value.key}`
    if (dataClient?.key !== key) dataClient = { key, client: createClient(settings.value.url, settings.value.key, { auth: { persistSession: false, autoRefreshToken: false } }) }
    return dataClient.client
  }

  /** What a workflow step's action id names: a playground data action, or an action of the running plugin. */
  function actionOf(
    id: string,
    current: PluginSession | null,
  ): { spec: ActionSpec | undefined; validate(input: Record<string, unknown>): ValidationIssue[]; execute(input: Record<string, unknown>): Promise<unknown> } {
    const data = DATA_ACTIONS.get(id)
    if (data) return { spec: data.spec, validate: (input) => data.validate(input), execute: (input) => data.execute(dataClientFor(), input) }
    return {
      spec: current?.manifest.actions.find((a) => a.id === id),
      validate: (input) => current?.validate(id, input) ?? [],
      execute: (input) => (current ? current.execute(id, input) : Promise.reject(new Error('The Realtime plugin is not running.'))),
    }
  }

  async function runWorkflowNow(workflow: WorkflowDefinition, event: unknown = null): Promise<WorkflowRun> {
    const current = session.value
    const run = await runWorkflow(workflow, {
      fieldsOf: (id) => actionOf(id, current).spec?.fields,
      validate: (id, input) => actionOf(id, current).validate(input),
      execute: (id, input) => actionOf(id, current).execute(input),
      scope,
      setVariable: (name, value) => (appVariables.value = { ...appVariables.value, [name]: value }),
      setInput: (name, value) => (inputs[name] = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value)),
      readVariable: (name) => appVariables.value[name],
      readInput: (name) => inputs[name],
      unavailable: () =>
        current
          ? null
          : {
              code: 'NOT_CONNECTED',
              message: `The Realtime plugin is not running${sessionError.value ? `: ${sessionError.value}` : '.'}`,
              fix: 'Open Settings, check the project URL and the public key, then click "Apply settings".',
            },
    }, event)
    return record(run)
  }

  function runPageEvent(event: PageEventId, payload: Record<string, unknown> = {}): Promise<WorkflowRun[]> {
    const matching = definition.value.workflows.filter((w) => w.trigger.type === 'page' && w.trigger.event === event)
    return Promise.all(matching.map((w) => runWorkflowNow(w, { ...payload, type: event })))
  }

  function onTrigger(trigger: EmittedTrigger): void {
    triggers.value = [trigger, ...triggers.value].slice(0, MAX_EVENTS)
    for (const workflow of definition.value.workflows) {
      const t = workflow.trigger
      if (t.type === 'plugin' && t.triggerId === trigger.triggerId && matchConditions(t.conditions, trigger.conditions)) {
        void runWorkflowNow(workflow, trigger.event)
      }
    }
  }

  /** The auth client of the current settings; a change of user starts the plugin again, as that user. */
  function followAuth(): void {
    let next: PlaygroundAuth | null = null
    try {
      next = options.auth?.(settings.value) ?? null
    } catch {
      // NOTE: settings that are not a valid project URL have no auth client; the plugin reports the problem.
    }
    if (next === auth.value) return
    stopFollowingAuth?.()
    auth.value = next
    stopFollowingAuth = next?.onUserChange(() => void connect()) ?? null
  }

  async function connect(): Promise<void> {
    followAuth()
    const mine = ++generation
    const previous = session.value
    session.value = null
    if (previous) await previous.dispose()
    if (mine !== generation) return
    try {
      session.value = options.createSession(settings.value, (trigger) => {
        if (mine === generation) onTrigger(trigger)
      })
      sessionError.value = null
    } catch (error) {
      sessionError.value = error instanceof Error ? error.message : String(error)
      return
    }
    // NOTE: not awaited: a slow page-load workflow must not hold up the settings panel.
    void runPageEvent('page-load')
  }

  return {
    definition,
    inputs,
    appVariables,
    settings,
    defaults: options.defaults,
    session,
    auth,
    sessionError,
    runs,
    failure,
    triggers,
    saved,
    scope,
    actionSpec: (id) => actionOf(id, session.value).spec,
    triggerSpec: (id) => session.value?.manifest.triggers.find((t) => t.id === id),
    runPageEvent,
    runWorkflowNow,
    async applySettings(next) {
      settings.value = { url: next.url.trim(), key: next.key.trim() }
      options.storage.setItem(SETTINGS_KEY, JSON.stringify(settings.value))
      await connect()
    },
    async resetSettings() {
      options.storage.removeItem(SETTINGS_KEY)
      settings.value = options.defaults
      await connect()
    },
    importDefinition(text) {
      const result = parseAppDefinitionText(text)
      if (result.error) return result.error
      definition.value = result.data
      resetPageState()
      autosave.schedule(result.data)
      return null
    },
    exportDefinition: () => JSON.stringify(definition.value, null, 2),
    resetDefinition() {
      definition.value = supportChatApp()
      resetPageState()
      autosave.schedule(definition.value)
    },
    save() {
      autosave.schedule(definition.value)
    },
    start: connect,
    async dispose() {
      generation++
      stopFollowingAuth?.()
      stopFollowingAuth = null
      stopAutosave()
      autosave.dispose()
      const current = session.value
      session.value = null
      if (current) await current.dispose()
    },
  }
}

function loadSettings(storage: KeyValueStorage): ConnectionSettings | null {
  try {
    const raw: unknown = JSON.parse(storage.getItem(SETTINGS_KEY) ?? 'null')
    if (raw && typeof raw === 'object' && typeof (raw as ConnectionSettings).url === 'string' && typeof (raw as ConnectionSettings).key === 'string') {
      return { url: (raw as ConnectionSettings).url, key: (raw as ConnectionSettings).key }
    }
  } catch {
    // NOTE: unreadable saved settings fall back to the defaults.
  }
  return null
}
