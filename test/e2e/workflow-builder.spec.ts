import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { chatLog, joinChat, screenshot, waitForText, waitUntil, usePlaygroundFixture } from '../helpers/browser'

const fx = usePlaygroundFixture({ withoutDatabase: true })

describe('workflow builder', () => {
  it('builds a new workflow with a bound Broadcast step that runs from the page', async () => {
    const builder = await fx().openPage()
    const observer = await fx().openPage()
    const page = builder.page
    await joinChat(page, 'Bea Builder')
    await joinChat(observer.page, 'Otto Observer')

    await page.getByRole('button', { name: 'New page workflow' }).click()
    await page.getByRole('textbox', { name: 'Workflow name' }).fill('Wave to everyone')
    await page.getByRole('combobox', { name: 'Starts on' }).selectOption({ label: 'On click: custom button' })

    // Two steps, then reorder and remove: the Broadcast step must end up alone.
    await page.getByRole('combobox', { name: 'Step to add' }).selectOption({ label: 'Change variable value' })
    await page.getByRole('button', { name: 'Add step' }).click()
    await page.getByRole('combobox', { name: 'Step to add' }).selectOption({ label: 'Broadcast a message' })
    await page.getByRole('button', { name: 'Add step' }).click()
    await page.getByRole('button', { name: 'Move step 2 up' }).click()
    await waitForText(page.getByRole('article').first().getByRole('heading'), '1. Broadcast a message')
    await page.getByRole('button', { name: 'Remove step 2' }).click()
    await waitUntil(async () => (await page.getByRole('article').count()) === 1, 'one step is left')

    const step = page.getByRole('article', { name: /Broadcast a message/ })
    await step.getByRole('textbox', { name: 'Channel', exact: true }).fill('chat')
    await step.getByRole('textbox', { name: 'Event', exact: true }).fill('message')
    await step.getByRole('button', { name: 'Bind Payload' }).click()
    await step.getByRole('textbox', { name: 'Payload', exact: true }).fill('{ name: inputs.name, text: "{{ inputs.name }} waves hello" }')
    expect(await step.getByRole('alert').count()).toBe(0)
    await screenshot(page, 'workflow-builder-new-workflow')

    await page.getByRole('button', { name: 'Wave' }).click()
    await waitUntil(async () => (await chatLog(observer.page)).includes('Bea Builder waves hello'), 'the observer receives the wave')
    await waitUntil(async () => (await chatLog(page)).includes('Bea Builder waves hello'), 'the builder sees the wave too')

    // Autosave: after a reload the workflow is still there.
    await waitForText(page.getByText(/^Saved at/), 'Saved at')
    await page.reload()
    await waitForText(page.getByText(/^Connection:/), /Connection: connected/, 30_000)
    const options = await page.getByRole('combobox', { name: 'Workflow', exact: true }).locator('option').allTextContents()
    expect(options).toContain('Wave to everyone')
    await builder.context.close()
    await observer.context.close()
  })

  it('shows a broken binding inline and explains it', async () => {
    const { page, context } = await fx().openPage()
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption({ label: 'Open the support chat' })
    const step = page.getByRole('article', { name: /Presence state/ })
    await step.getByRole('textbox', { name: 'State', exact: true }).fill('{ name: inputs.name')
    await waitForText(step.getByRole('alert'), 'not closed')
    await context.close()
  })

  it('exports the app definition and imports it back', async () => {
    const { page, context } = await fx().openPage()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export app' }).click()])
    const file = await download.path()
    const exported = JSON.parse(await readFile(file, 'utf8')) as { name: string; workflows: Array<{ name: string }> }
    expect(exported.workflows.map((w) => w.name)).toContain('Send a chat message')

    exported.name = 'Imported helpdesk'
    await page.getByLabel('Import app').setInputFiles({ name: 'app.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) })
    await waitForText(page.getByText(/^App:/), 'App: Imported helpdesk')

    await page.getByLabel('Import app').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something"}') })
    await waitForText(page.getByRole('alert').filter({ hasText: 'Import failed' }), 'not a playground app definition')

    await page.getByRole('button', { name: 'Reset to example' }).click()
    await page.getByRole('button', { name: 'Replace with the example' }).click()
    await waitForText(page.getByText(/^App:/), 'App: Support chat')
    await context.close()
  })

  it('deletes a workflow and brings it back with Undo', async () => {
    const { page, context } = await fx().openPage()
    const list = page.getByRole('combobox', { name: 'Workflow', exact: true })
    await list.selectOption({ label: 'Leave the chat' })
    await page.getByRole('button', { name: 'Delete workflow' }).click()
    await waitUntil(async () => !(await list.locator('option').allTextContents()).includes('Leave the chat'), 'the workflow is gone')
    await page.getByRole('button', { name: 'Undo' }).click()
    await waitUntil(async () => (await list.locator('option').allTextContents()).includes('Leave the chat'), 'the workflow is back')
    expect(await page.getByRole('textbox', { name: 'Workflow name' }).inputValue()).toBe('Leave the chat')
    await context.close()
  })
})
