import pg from 'pg'

// `npx tsx scripts/add-todo.ts "Call the customer back"`: inserts a row into public.todos of the
// database `npm start` runs, so the playground's live table shows it. DATABASE_URL picks another database.

async function main(): Promise<void> {
  const task = process.argv.slice(2).join(' ').trim() || `Todo added at ${new Date().toLocaleTimeString()}`
  const url = process.env.DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:54322/postgres'
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (error) {
    console.error(`Could not reach PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')}: ${error instanceof Error ? error.message : String(error)}`)
    console.error('Start it with `npm start` first, or set DATABASE_URL to the address `npm start` printed.')
    process.exit(1)
  }
  try {
    const result = await client.query<{ id: number }>('insert into public.todos (task) values ($1) returning id', [task])
    console.log(`Added todo #${result.rows[0]?.id ?? '?'}: ${task}`)
  } finally {
    await client.end()
  }
}

main().catch((error: unknown) => {
  console.error('Could not add the todo:', error instanceof Error ? error.message : error)
  process.exit(1)
})
