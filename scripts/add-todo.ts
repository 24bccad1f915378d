import pg from 'pg'

// `npx tsx scripts/add-todo.ts "Call the customer back"`: inserts a row into public.todos of the
// database `npm start` runs, so the playground's live table shows it to visitors who are not signed in.
// `--for ada@example.com` makes it that user's todo: only their window shows it. DATABASE_URL picks another database.

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const forIndex = args.indexOf('--for')
  const owner = forIndex === -1 ? null : (args[forIndex + 1] ?? '')
  if (forIndex !== -1) args.splice(forIndex, 2)
  if (owner === '') {
    console.error('Give the email of a user after --for, e.g. --for ada@example.com')
    process.exit(1)
  }
  const task = args.join(' ').trim() || `Todo added at ${new Date().toLocaleTimeString()}`
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
    if (owner !== null) {
      const { rows } = await client.query<{ id: string }>('select id from auth.users where lower(email) = lower($1)', [owner])
      if (!rows[0]) {
        console.error(`No user ${owner}: sign up first, or use a demo user printed by \`npm start\`.`)
        process.exitCode = 1
        return
      }
      const result = await client.query<{ id: number }>('insert into public.todos (task, user_id) values ($1, $2) returning id', [task, rows[0].id])
      console.log(`Added todo #${result.rows[0]?.id ?? '?'} for ${owner}: ${task}`)
      return
    }
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
