import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAutosave, type KeyValueStorage } from '../../playground/engine/autosave'
import { parseAppDefinition, parseAppDefinitionText } from '../../playground/engine/parse-app-definition'
import { supportChatApp } from '../../playground/engine/support-chat-app'
import { parseExpression } from '../../playground/engine/parse-expression'

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  }
}

describe('parseAppDefinition', () => {
  it('reads back an exported app unchanged', () => {
    const app = supportChatApp()
    const result = parseAppDefinitionText(JSON.stringify(app, null, 2))
    expect(result.error).toBeNull()
    expect(result.data).toEqual(app)
  })

  it.each([
    ['not json', 'INVALID_JSON'],
    ['[]', 'NOT_AN_APP'],
    ['{"format":"something-else"}', 'NOT_AN_APP'],
    ['{"format":"realtime-playground-app","version":2}', 'UNSUPPORTED_VERSION'],
  ])('refuses %s with %s', (text, code) => {
    const result = parseAppDefinitionText(text)
    expect(result.error?.code).toBe(code)
    expect(result.error?.fix.length).toBeGreaterThan(10)
  })

  it('names the place of a broken step', () => {
    const app = supportChatApp() as unknown as { workflows: Array<{ steps: Array<Record<string, unknown>> }> }
    const step = app.workflows[1]?.steps[1]
    if (!step) throw new Error('fixture')
    step.mode = 'replace'
    const result = parseAppDefinition(app)
    expect(result.error?.code).toBe('INVALID_APP')
    expect(result.error?.message).toBe('workflows[1].steps[1].mode must be "set" or "append".')
  })

  it('refuses an unknown page event and a bad input name', () => {
    const app = supportChatApp() as unknown as Record<string, unknown>
    const badEvent = structuredClone(app) as { workflows: Array<{ trigger: Record<string, unknown> }> }
    if (badEvent.workflows[0]) badEvent.workflows[0].trigger.event = 'double-click'
    expect(parseAppDefinition(badEvent).error?.message).toContain('workflows[0].trigger.event')
    const badName = structuredClone(app) as { inputs: Array<Record<string, unknown>> }
    if (badName.inputs[0]) badName.inputs[0].name = 'my name'
    expect(parseAppDefinition(badName).error?.message).toContain('inputs[0].name')
  })
})

describe('supportChatApp', () => {
  it('has valid bindings everywhere', () => {
    const app = supportChatApp()
    for (const expression of Object.values(app.bindings)) expect(() => parseExpression(expression)).not.toThrow()
    for (const workflow of app.workflows) {
      for (const step of workflow.steps) {
        const values = step.type === 'action' ? Object.values(step.values) : [step.value]
        for (const value of values) if (value.mode === 'bind') expect(() => parseExpression(value.expression)).not.toThrow()
      }
    }
  })
})

describe('createAutosave', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes once after the last change and loads it back', () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    const saved: number[] = []
    const autosave = createAutosave({ storage, delayMs: 100, onSaved: (at) => saved.push(at) })
    const app = supportChatApp()
    autosave.schedule({ ...app, name: 'first' })
    vi.advanceTimersByTime(50)
    autosave.schedule({ ...app, name: 'second' })
    vi.advanceTimersByTime(99)
    expect(storage.data.size).toBe(0)
    vi.advanceTimersByTime(1)
    expect(saved).toHaveLength(1)
    expect(autosave.load()?.name).toBe('second')
  })

  it('flushes a pending change at once and ignores a corrupt save', () => {
    const storage = memoryStorage()
    const autosave = createAutosave({ storage, key: 'k' })
    autosave.schedule(supportChatApp())
    autosave.flush()
    expect(autosave.load()?.name).toBe('Support chat')
    storage.data.set('k', '{broken')
    expect(autosave.load()).toBeNull()
    autosave.clear()
    expect(storage.data.has('k')).toBe(false)
  })

  it('reports a failed write instead of throwing', () => {
    const errors: unknown[] = []
    const storage: KeyValueStorage = { getItem: () => null, removeItem: () => undefined, setItem: () => { throw new Error('quota') } }
    const autosave = createAutosave({ storage, onError: (e) => errors.push(e) })
    autosave.schedule(supportChatApp())
    autosave.flush()
    expect(errors).toHaveLength(1)
  })
})
