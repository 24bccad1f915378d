import type pg from 'pg'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_USERS } from '../../playground/runtime/demo-users'
import { chatLog, joinChat, screenshot, waitForText, waitUntil, usePlaygroundFixture } from '../helpers/browser'

const fx = usePlaygroundFixture()
let db: pg.Client

beforeAll(async () => {
  db = await fx().database()
})

async function signInAs(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Sign in as ${name}` }).click()
  await waitForText(page.getByRole('region', { name: 'Sign-in' }), `Signed in as ${name}`)
  // Signing in starts the plugin again as that user: wait until it is connected and the todos are live.
  await waitForText(page.getByText(/^Connection:/), /Connection: connected/, 30_000)
  await waitForText(page.getByText(/^Todos channel:/), 'SUBSCRIBED', 30_000)
}

async function addTodo(page: Page, task: string): Promise<void> {
  await page.getByPlaceholder('New todo').fill(task)
  await page.getByRole('button', { name: 'Add todo' }).click()
  await waitForText(page.getByRole('table', { name: 'Todos' }), task)
}

describe('signing in to the playground', () => {
  it('lets two windows be the two demo users: a private support chat, and each sees only their own todos', async () => {
    expect(fx().stack.demoUsers.map((u) => u.name)).toEqual(DEMO_USERS.map((u) => u.name))
    const ada = await fx().openPage()
    const bob = await fx().openPage()
    const visitor = await fx().openPage()
    await waitForText(visitor.page.getByRole('region', { name: 'Sign-in' }), 'Not signed in')
    await signInAs(ada.page, 'Ada')
    await signInAs(bob.page, 'Bob')
    expect(await ada.page.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('Ada')

    await joinChat(ada.page, 'Ada')
    await joinChat(bob.page, 'Bob')
    await joinChat(visitor.page, 'Visitor')
    await waitForText(ada.page.getByText(/\d+ online/), '2 online')
    await ada.page.getByRole('textbox', { name: 'Message' }).fill('Hello Bob, privately')
    await ada.page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => (await chatLog(bob.page)).includes('Hello Bob, privately'), 'Bob receives the message on the private channel')
    await bob.page.getByRole('textbox', { name: 'Message' }).fill('Hi Ada')
    await bob.page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => (await chatLog(ada.page)).includes('Hi Ada'), 'Ada receives the answer')
    // The visitor who is not signed in is on the public channel: it sees neither message, nor the others online.
    await visitor.page.getByRole('textbox', { name: 'Message' }).fill('Anyone there?')
    await visitor.page.getByRole('button', { name: 'Send' }).click()
    await waitUntil(async () => (await chatLog(visitor.page)).includes('Anyone there?'), 'the visitor sees their own message')
    expect(await chatLog(visitor.page)).not.toContain('Hello Bob')
    expect(await chatLog(ada.page)).not.toContain('Anyone there?')
    await waitForText(visitor.page.getByText(/\d+ online/), '1 online')
    // A private broadcast from the database reaches the signed-in users only.
    await db.query(`select realtime.send('{"name":"Support bot","text":"Private notice"}'::jsonb, 'message', 'chat', true)`)
    await waitUntil(async () => (await chatLog(ada.page)).includes('Private notice') && (await chatLog(bob.page)).includes('Private notice'), 'both signed-in users get the private notice')
    expect(await chatLog(visitor.page)).not.toContain('Private notice')

    await addTodo(ada.page, 'Ada: call the bank')
    await addTodo(bob.page, 'Bob: water the plants')
    const owners = await db.query<{ task: string; email: string }>(
      "select t.task, u.email from public.todos t join auth.users u on u.id = t.user_id where t.task in ('Ada: call the bank', 'Bob: water the plants') order by t.task",
    )
    expect(owners.rows).toEqual([
      { task: 'Ada: call the bank', email: 'ada@example.com' },
      { task: 'Bob: water the plants', email: 'bob@example.com' },
    ])
    await ada.page.getByRole('checkbox', { name: 'Done: Ada: call the bank' }).check()
    await waitUntil(async () => (await db.query("select 1 from public.todos where task = 'Ada: call the bank' and is_complete")).rowCount === 1, 'Ada ticks her todo done')
    // Live changes reach only the owner: a row added for Bob by the database shows in Bob's window only.
    await db.query("insert into public.todos (task, user_id) select 'Bob: added by the database', id from auth.users where email = 'bob@example.com'")
    await waitForText(bob.page.getByRole('table', { name: 'Todos' }), 'Bob: added by the database')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const adaTable = (await ada.page.getByRole('table', { name: 'Todos' }).textContent()) ?? ''
    const visitorTable = (await visitor.page.getByRole('table', { name: 'Todos' }).textContent()) ?? ''
    expect(adaTable).toContain('Ada: call the bank')
    expect(adaTable).not.toContain('Bob:')
    expect(visitorTable).not.toContain('Ada:')
    expect(visitorTable).not.toContain('Bob:')
    await screenshot(ada.page, 'sign-in-ada')
    await screenshot(bob.page, 'sign-in-bob')

    // Signing out goes back to the shared todos and the public chat.
    await ada.page.getByRole('button', { name: 'Sign out' }).click()
    await waitForText(ada.page.getByRole('region', { name: 'Sign-in' }), 'Not signed in')
    await waitForText(ada.page.getByText(/^Todos channel:/), 'SUBSCRIBED', 30_000)
    expect((await ada.page.getByRole('table', { name: 'Todos' }).textContent()) ?? '').not.toContain('Ada: call the bank')
    await db.query("delete from public.todos where task like 'Ada:%' or task like 'Bob:%'")
    for (const window of [ada, bob, visitor]) await window.context.close()
  })

  it('says why a sign-in failed', async () => {
    const { page, context } = await fx().openPage()
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com')
    await page.getByRole('textbox', { name: 'Password' }).fill('not-her-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await waitForText(page.getByRole('alert'), 'Sign-in failed: Invalid login credentials')
    await context.close()
  })
})
