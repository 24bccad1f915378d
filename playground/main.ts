import { createApp } from 'vue'
import App from './components/App.vue'
import { createPlayground } from './runtime/create-playground'
import { createPluginSession } from './runtime/create-plugin-session'
import { loadDefaults } from './runtime/load-defaults'
import { playgroundAuthFor } from './runtime/playground-auth'
import { PLAYGROUND_KEY } from './runtime/use-playground'
import './styles.css'

const defaults = await loadDefaults(window.fetch.bind(window))
const playground = createPlayground({ storage: window.localStorage, defaults, createSession: createPluginSession, auth: playgroundAuthFor })
const app = createApp(App)
app.provide(PLAYGROUND_KEY, playground)
app.mount('#app')
window.addEventListener('pagehide', () => void playground.dispose())
await playground.start()
