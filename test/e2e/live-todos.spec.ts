import type pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { screenshot, waitForText, waitUntil, usePlaygroundFixture } from '../helpers/browser'

const fx = usePlaygroundFixture()
let db: pg.Client

beforeAll(async () => {
  db = await fx().database()
})

describe('live todos table', () => {
  it('shows a row that existed before the page opened, adds a todo and ticks it done through supabase-js', async () => {
    const before = await db.query<{ id: number }>("insert into public.todos (task) values ('Written before the page opened') returning id")
    const { page, context } = await fx().openPage()
    const table = page.getByRole('table', { name: 'Todos' })
    await waitForText(table, 'Written before the page opened')
    expect(before.rowCount).toBe(1)

    await page.getByPlaceholder('New todo').fill('Added from the page')
    await page.getByRole('button', { name: 'Add todo' }).click()
    await waitForText(table, 'Added from the page')
    const added = await db.query<{ id: number; is_complete: boolean }>("select id, is_complete from public.todos where task = 'Added from the page'")
    expect(added.rows).toHaveLength(1)
    expect(added.rows[0]?.is_complete).toBe(false)

    await page.getByRole('checkbox', { name: 'Done: Added from the page' }).check()
    await waitUntil(async () => {
      const { rows } = await db.query<{ is_complete: boolean }>("select is_complete from public.todos where task = 'Added from the page'")
      return rows[0]?.is_complete === true
    }, 'the todo is done in PostgreSQL')
    await waitUntil(async () => {
      const row = table.getByRole('row').filter({ hasText: 'Added from the page' })
      return ((await row.textContent()) ?? '').includes('yes')
    }, 'the table shows the todo done')
    await screenshot(page, 'live-todos-loaded')
    await db.query("delete from public.todos where task in ('Written before the page opened', 'Added from the page')")
    await context.close()
  })

  it('shows rows inserted, updated and deleted with pg', async () => {
    const { page, context } = await fx().openPage()
    await waitForText(page.getByText(/^Todos channel:/), 'SUBSCRIBED')
    const table = page.getByRole('table', { name: 'Todos' })

    const inserted = await db.query<{ id: number }>("insert into public.todos (task) values ('Call the customer back') returning id")
    const id = inserted.rows[0]?.id
    await waitForText(table, 'Call the customer back')

    await db.query('update public.todos set is_complete = true where id = $1', [id])
    await waitUntil(async () => {
      const row = table.getByRole('row').filter({ hasText: 'Call the customer back' })
      return ((await row.textContent()) ?? '').includes('yes')
    }, 'the row shows it is complete')
    await screenshot(page, 'live-todos')

    await db.query('delete from public.todos where id = $1', [id])
    await waitUntil(async () => !((await table.textContent()) ?? '').includes('Call the customer back'), 'the deleted row disappears')
    await context.close()
  })
})
