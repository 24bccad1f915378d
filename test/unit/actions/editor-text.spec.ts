// @vitest-environment node
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ACTIONS } from '../../../actions/action-list'
import { broadcastMessageEditor } from '../../../actions/broadcast-message'
import { presenceStateEditor } from '../../../actions/presence-state'
import { setLiveStateEditor } from '../../../actions/set-live-state'
import { shareCursorEditor } from '../../../actions/share-cursor'
import { stopCursorEditor } from '../../../actions/stop-cursor'
import { subscribeToChannelEditor } from '../../../actions/subscribe-to-channel-editor'
import { unsubscribeFromChannelEditor } from '../../../actions/unsubscribe-from-channel'
import { MANIFEST } from '../../../editor-config/manifest'
import { SETTINGS_INPUTS, SETTINGS_TEXT } from '../../../editor-config/validate-settings'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** Bundles what the runtime imports of the action and settings descriptions, as a production build would. */
async function runtimeBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: [
        "export { ACTIONS } from './actions/action-list'",
        "export { runAction } from './actions/define-action'",
        "export { SETTINGS_INPUTS, validateSettings } from './editor-config/validate-settings'",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    external: ['@supabase/supabase-js', 'vue', 'pinia'],
    logLevel: 'silent',
  })
  return result.outputFiles.map((f) => f.text).join('\n')
}

/** Every tooltip and description the editor shows (long sentences that no validator message repeats). */
function editorSentences(): string[] {
  const fields = MANIFEST.actions.flatMap((a) => [...a.fields, ...a.fields.flatMap((f) => f.itemFields ?? [])])
  return [...new Set([...MANIFEST.actions.map((a) => a.description), ...fields.map((f) => f.tooltip), ...MANIFEST.settings.map((f) => f.tooltip)])]
}

describe('action descriptions', () => {
  it('give the manifest the editor text of each action and the runtime half of each input', () => {
    const editors = [subscribeToChannelEditor, broadcastMessageEditor, presenceStateEditor, unsubscribeFromChannelEditor, shareCursorEditor, stopCursorEditor, setLiveStateEditor]
    expect(MANIFEST.actions.map((a) => a.label)).toEqual(editors.map((e) => e.label))
    for (const action of MANIFEST.actions) {
      const inputs = ACTIONS[action.id as keyof typeof ACTIONS].inputs
      expect(action.fields.map((f) => f.name)).toEqual(Object.keys(inputs))
      for (const field of action.fields) {
        expect(field.default, `${action.id}.${field.name}`).toEqual(inputs[field.name]?.default)
        expect(field.required, `${action.id}.${field.name}`).toBe(inputs[field.name]?.required ?? false)
      }
    }
    expect(MANIFEST.settings.map((f) => [f.name, f.label, f.default])).toEqual(
      Object.entries(SETTINGS_INPUTS).map(([name, input]) => [name, SETTINGS_TEXT[name as keyof typeof SETTINGS_TEXT].label, 'default' in input ? input.default : undefined]),
    )
  })

  it('keep the editor text out of the runtime bundle', async () => {
    const bundle = await runtimeBundle()
    expect(bundle).toContain('Realtime | Subscribe to channel')
    const sentences = editorSentences()
    expect(sentences.length).toBeGreaterThan(20)
    expect(sentences.filter((s) => bundle.includes(JSON.stringify(s).slice(1, -1)))).toEqual([])
  })
})
