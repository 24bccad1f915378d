import { describe, expect, it } from 'vitest'
import { chatLog, joinChat, screenshot, waitForText, waitUntil, usePlaygroundFixture } from '../helpers/browser'

const fx = usePlaygroundFixture()

describe('support chat in the playground', () => {
  it('lets a customer and an agent chat both ways, and counts who is online', async () => {
    const customer = await fx().openPage()
    const agent = await fx().openPage()
    await joinChat(customer.page, 'Carla Customer')
    await joinChat(agent.page, 'Alex Agent')

    await waitForText(customer.page.getByText(/\d+ online/), '2 online')
    await waitForText(agent.page.getByRole('status', { name: /online/ }), '2 online')
    await waitUntil(async () => (await agent.page.getByRole('list', { name: 'People online' }).textContent())?.includes('Carla Customer') ?? false, 'the agent sees Carla in the avatar stack')

    await customer.page.getByRole('textbox', { name: 'Message' }).fill('Hello, my order has not arrived')
    await customer.page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => (await chatLog(agent.page)).includes('Hello, my order has not arrived'), 'the agent receives the message')
    await waitUntil(async () => (await chatLog(customer.page)).includes('Hello, my order has not arrived'), 'the customer sees their own message')
    expect(await customer.page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('')

    // The agent answers with the keyboard only: type, then Enter.
    const reply = agent.page.getByRole('textbox', { name: 'Message' })
    await reply.click()
    await reply.pressSequentially('Sorry about that! Let me check.')
    await waitForText(customer.page.getByText(/is typing/), 'Alex Agent is typing')
    await reply.press('Enter')
    await waitUntil(async () => (await chatLog(customer.page)).includes('Sorry about that! Let me check.'), 'the customer receives the reply')
    expect(await chatLog(customer.page)).toContain('Alex Agent')
    await screenshot(customer.page, 'support-chat-customer')
    await screenshot(agent.page, 'support-chat-agent')

    // A new name is shared with the others while the chat is open.
    await customer.page.getByRole('textbox', { name: 'Your name' }).fill('Carla C.')
    await customer.page.getByRole('textbox', { name: 'Your name' }).press('Enter')
    await waitForText(agent.page.getByRole('list', { name: 'People online' }), 'Carla C.')

    // The inspector shows the events, who is online and the status timeline of the channel.
    await customer.page.getByRole('tab', { name: 'Inspector' }).click()
    await waitForText(customer.page.getByRole('table', { name: /Events received on channel chat/ }), 'Sorry about that')
    await waitForText(customer.page.getByRole('list').filter({ hasText: 'connection' }), 'Alex Agent')
    await waitForText(customer.page.getByRole('list').filter({ hasText: 'Channel chat' }), 'SUBSCRIBED')
    await screenshot(customer.page, 'support-chat-inspector')

    // Leaving with the button, then closing the window, both lower the online count.
    await agent.page.getByRole('button', { name: 'Leave chat' }).click()
    await waitForText(customer.page.getByText(/\d+ online/), '1 online', 30_000)
    await agent.page.getByRole('button', { name: 'Support' }).click()
    await waitForText(customer.page.getByText(/\d+ online/), '2 online', 30_000)
    await agent.context.close()
    await waitForText(customer.page.getByText(/\d+ online/), '1 online', 30_000)
    await customer.context.close()
  })

  it('renders message text as text, never as HTML', async () => {
    const sender = await fx().openPage()
    const reader = await fx().openPage()
    await joinChat(sender.page, '<b>Mallory</b>')
    // The reader only uses the keyboard: name, Tab to Support, Enter.
    await reader.page.getByRole('textbox', { name: 'Your name' }).fill('Rita Reader')
    await reader.page.keyboard.press('Tab')
    await reader.page.keyboard.press('Enter')
    await waitForText(reader.page.getByText(/^Chat channel:/), 'SUBSCRIBED')
    const payload = '<img src=x onerror="document.title=\'pwned\'">'
    await sender.page.getByRole('textbox', { name: 'Message' }).fill(payload)
    await sender.page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => (await chatLog(reader.page)).includes(payload), 'the reader shows the markup as text')
    expect(await reader.page.locator('.messages img').count()).toBe(0)
    expect(await reader.page.locator('.messages b').count()).toBe(0)
    expect(await reader.page.title()).not.toBe('pwned')
    await sender.context.close()
    await reader.context.close()
  })

  it('shows the validation message of an invalid field and sends nothing', async () => {
    const customer = await fx().openPage()
    const agent = await fx().openPage()
    await joinChat(customer.page, 'Vera')
    await joinChat(agent.page, 'Ari')
    const page = customer.page

    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption({ label: 'Send a chat message' })
    const step = page.getByRole('article', { name: /Broadcast a message/ })
    const event = step.getByRole('textbox', { name: 'Event', exact: true })
    await event.fill('')
    await waitForText(step.getByRole('alert'), 'Event name is required')
    expect(await event.getAttribute('aria-invalid')).toBe('true')

    await page.getByRole('textbox', { name: 'Message' }).fill('This must not be sent')
    await page.getByRole('button', { name: 'Send' }).click()
    const failure = page.getByRole('alert').filter({ hasText: 'Workflow "Send a chat message" stopped at step 1' })
    await waitForText(failure, 'Event name is required')
    await screenshot(page, 'support-chat-invalid-field')
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('This must not be sent')

    // Fix the field and send again: the agent gets the second message only.
    await event.fill('message')
    await waitUntil(async () => (await step.getByRole('alert').count()) === 0, 'the inline message disappears once the field is valid')
    await page.getByRole('textbox', { name: 'Message' }).fill('Second try')
    await page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => (await chatLog(agent.page)).includes('Second try'), 'the agent receives the corrected message')
    expect(await chatLog(agent.page)).not.toContain('This must not be sent')
    await customer.context.close()
    await agent.context.close()
  })

  it('names every chat control unambiguously, so labels alone find them', async () => {
    const { page } = await fx().openPage()
    // The editor beside the page holds selects whose options mention page fields ("On change: Your name");
    // their accessible names must stay their own labels.
    for (const label of ['Your name', 'Starts on']) {
      expect(await page.getByLabel(label).count(), label).toBe(1)
    }
    await joinChat(page, 'Lena Label')
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Support' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(1)
  })
})
