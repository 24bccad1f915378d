import { computed, createApp, defineAsyncComponent, defineComponent, h, shallowReactive, shallowRef, type Component } from 'vue'
// NOTE: the whole of Vue becomes WeWeb's global `Vue`, which the bundle uses as its `vue` import.
import * as Vue from 'vue' // eslint-disable-line no-restricted-imports
import type { WewebConfig } from '../../editor-config/weweb-runtime-config'
import type { WewebPluginObject, WewebPluginSettings } from '../../src/weweb-plugin'
import { createWwLib } from '../../playground/wwlib/create-wwlib'
import { mountPlugin, waitForWwComponent, type WwComponentRegistration } from '../../playground/wwlib/mount-plugin'
import { installEditorStandIns } from './ww-editor-stand-ins'

// A WeWeb-like page: WeWeb's global `Vue`, the project's `wwLib`, the built `dist/manager.js`
// registered through `window.addWwComponent`, the editor's settings panel and action forms (with
// stand-ins for WeWeb's editor inputs), and a support chat whose buttons run the plugin's actions.

const CHANNEL = 'support'
const PLUGIN_ID = 'realtime-plugin-id'

type Registration = WwComponentRegistration<WewebPluginObject> & { config: WewebConfig }

declare global {
  interface Window {
    Vue: typeof Vue
    wwLib: ReturnType<typeof createWwLib>
    addWwComponent?: (registration: WwComponentRegistration<WewebPluginObject>) => unknown
    /** For the test: what the page holds. */
    wwPage: {
      registration: Registration
      plugin: WewebPluginObject
      wwLib: ReturnType<typeof createWwLib>
      triggerRuns: TriggerRun[]
      /** Installs a stand-in Supabase Auth plugin (as if it loaded after this one), signed in with `token` when given. */
      installAuth(token: string | null, project?: { url: string; key: string }): AuthStandIn
      auth: AuthStandIn | null
    }
  }
}

interface TriggerRun {
  id: string
  text: string
  /** Whether the `messages` variable already held the message when the workflow started. */
  inVariable: boolean
}

interface AuthStandIn {
  signIn(token: string): void
  signOut(): void
}

/** The part of the Supabase Auth plugin this plugin reads: `publicInstance.auth` (session and auth events). */
function createAuthStandIn(token: string | null, project: { url: string | null; key: string | null }): { plugin: { publicInstance: unknown }; control: AuthStandIn } {
  let session: { access_token: string } | null = token ? { access_token: token } : null
  const listeners = new Set<(event: string, session: unknown) => void>()
  const emit = (event: string): void => listeners.forEach((listener) => listener(event, session))
  const auth = {
    getSession: () => Promise.resolve({ data: { session } }),
    onAuthStateChange(callback: (event: string, session: unknown) => void) {
      listeners.add(callback)
      queueMicrotask(() => callback('INITIAL_SESSION', session))
      return { data: { subscription: { unsubscribe: () => void listeners.delete(callback) } } }
    },
  }
  return {
    plugin: { publicInstance: { supabaseUrl: project.url, supabaseKey: project.key, auth } },
    control: {
      signIn(next) {
        session = { access_token: next }
        emit('SIGNED_IN')
      },
      signOut() {
        session = null
        emit('SIGNED_OUT')
      },
    },
  }
}

const params = new URLSearchParams(location.search)
window.Vue = Vue
const wwLib = createWwLib()
window.wwLib = wwLib

const registered = waitForWwComponent<WewebPluginObject>(window) as Promise<Registration>
const script = document.createElement('script')
script.src = '/dist/manager.js'
document.head.append(script)
const registration = await registered
const plugin = registration.content
const config = registration.config
const settings = shallowRef<WewebPluginSettings>({ publicData: { url: params.get('url') ?? '', key: params.get('key') ?? '' }, privateData: {} })
await mountPlugin(wwLib, registration, { namespace: 'supabaseRealtime', id: PLUGIN_ID, settings: settings.value })

const variable = (name: string): unknown => wwLib.wwVariable.values[`${PLUGIN_ID}-${name}`]
const triggerRuns = shallowReactive<TriggerRun[]>([])
const otherEventRuns = shallowRef(0)
wwLib.wwWorkflow.add({
  trigger: `${PLUGIN_ID}-broadcast`,
  conditions: { channel: CHANNEL, event: 'message' },
  run(event) {
    const e = event as { id: string; payload: { text?: string } }
    const messages = ((variable('messages') as Record<string, Array<{ id: string }>> | undefined)?.[CHANNEL] ?? [])
    triggerRuns.push({ id: e.id, text: String(e.payload.text), inVariable: messages.some((m) => m.id === e.id) })
  },
})
wwLib.wwWorkflow.add({ trigger: `${PLUGIN_ID}-broadcast`, conditions: { channel: CHANNEL, event: 'typing' }, run: () => void otherEventRuns.value++ })
window.wwPage = {
  registration,
  plugin,
  wwLib,
  triggerRuns,
  auth: null,
  installAuth(token, project) {
    const { plugin: authPlugin, control } = createAuthStandIn(token, project ?? { url: params.get('url'), key: params.get('key') })
    wwLib.wwPlugins.supabaseAuth = authPlugin as typeof wwLib.wwPlugins.supabaseAuth
    window.wwPage.auth = control
    return control
  },
}

const lazy = (loader: (() => Promise<unknown>) | undefined): Component | null => (loader ? defineAsyncComponent(loader as () => Promise<Component>) : null)

const EditorPanel = defineComponent({
  setup() {
    const panel = config.editor.settings[0]
    const SettingsEdit = lazy(panel?.edit)
    const SettingsSummary = lazy(panel?.summary)
    const forms = config.actions.map((action) => ({ action, Edit: lazy(action.edit), args: shallowRef<Record<string, unknown>>({}) }))
    const saved = shallowRef('')
    async function save(): Promise<void> {
      await plugin.onSave(settings.value)
      saved.value = `Saved (${panel?.getIsValid(settings.value) ? 'valid' : 'invalid'})`
    }
    return () =>
      h('div', [
        h('section', { 'aria-label': 'Settings' }, [
          h('h2', panel?.label ?? 'Settings'),
          SettingsEdit && h(SettingsEdit, { plugin, settings: settings.value, 'onUpdate:settings': (next: WewebPluginSettings) => (settings.value = next) }),
          h('p', { 'aria-label': 'Settings validity' }, panel?.getIsValid(settings.value) ? 'Settings valid' : 'Settings invalid'),
          SettingsSummary && h('div', { 'aria-label': 'Settings summary' }, [h(SettingsSummary, { settings: settings.value })]),
          h('button', { type: 'button', onClick: () => void save() }, 'Save settings'),
          h('span', saved.value),
        ]),
        ...forms.map(({ action, Edit, args }) =>
          h('section', { 'aria-label': `Action: ${action.name}` }, [
            h('h2', action.name),
            Edit && h(Edit, { plugin, args: args.value, 'onUpdate:args': (next: Record<string, unknown>) => (args.value = next) }),
            h('p', { 'aria-label': 'Validity' }, action.getIsValid(args.value) ? 'Valid' : 'Invalid'),
            h('pre', { 'aria-label': 'Arguments' }, JSON.stringify(args.value)),
          ]),
        ),
      ])
  },
})

const SupportChat = defineComponent({
  setup() {
    const name = shallowRef('')
    const text = shallowRef('')
    const status = shallowRef('')
    const messages = computed(() => ((variable('messages') as Record<string, Array<{ id: string; payload: { from?: string; text?: string } }>> | undefined)?.[CHANNEL] ?? []))
    const online = computed(() => ((variable('presence') as Record<string, { count: number }> | undefined)?.[CHANNEL]?.count ?? 0))
    const channel = computed(() => ((variable('channels') as Record<string, { status: string }> | undefined)?.[CHANNEL]?.status ?? 'none'))
    async function workflow(steps: () => Promise<unknown>): Promise<void> {
      try {
        await steps()
        status.value = 'ok'
      } catch (error) {
        status.value = `failed: ${error instanceof Error ? error.message : String(error)}`
      }
    }
    const join = () =>
      workflow(async () => {
        await plugin.subscribe({ channel: CHANNEL, presence: { key: name.value }, broadcast: { self: false } })
        await plugin.presence({ channel: CHANNEL, action: 'track', state: { name: name.value } })
      })
    const send = () =>
      workflow(async () => {
        await plugin.broadcast({ channel: CHANNEL, event: 'message', payload: { from: name.value, text: text.value } })
        text.value = ''
      })
    return () =>
      h('section', { 'aria-label': 'Support chat' }, [
        h('label', ['Your name ', h('input', { value: name.value, onInput: (e: Event) => (name.value = (e.target as HTMLInputElement).value) })]),
        h('button', { type: 'button', onClick: () => void join() }, 'Join support'),
        h('p', `Channel: ${channel.value}`),
        h('p', `Online: ${online.value}`),
        h('p', `Workflow: ${status.value}`),
        h('ul', { role: 'log', 'aria-label': 'Chat messages' }, messages.value.map((m) => h('li', { key: m.id }, `${m.payload.from}: ${m.payload.text}`))),
        h('label', ['Message ', h('input', { value: text.value, onInput: (e: Event) => (text.value = (e.target as HTMLInputElement).value) })]),
        h('button', { type: 'button', onClick: () => void send() }, 'Send'),
        h('ul', { 'aria-label': 'Trigger runs' }, triggerRuns.map((r) => h('li', { key: r.id }, `${r.text} (in variable: ${r.inVariable ? 'yes' : 'no'})`))),
        h('p', `Typing workflow runs: ${otherEventRuns.value}`),
      ])
  },
})

const app = createApp({ render: () => h('main', [h('h1', 'WeWeb stand-in'), h(EditorPanel), h(SupportChat)]) })
installEditorStandIns(app)
app.mount('#app')
document.body.dataset.ready = 'true'
