import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, startPlaygroundFixture, waitForText, waitUntil, type PlaygroundFixture } from '../helpers/browser'

let fx: PlaygroundFixture
let db: pg.Client

beforeAll(async () => {
  fx = await startPlaygroundFixture()
  if (!fx.stack.databaseUrl) throw new Error('The fixture started without PostgreSQL')
  db = new pg.Client({ connectionString: fx.stack.databaseUrl })
  await db.connect()
})

afterEach(() => {
  expect(fx.pageErrors).toEqual([])
})

afterAll(async () => {
  await db?.end()
  await fx?.stop()
})

describe('live todos table', () => {
  it('shows rows inserted, updated and deleted with pg', async () => {
    const { page, context } = await fx.openPage()
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
