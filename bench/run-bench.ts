/**
 * Runs a bench file: its `main`, or, in a child process the bench started with `BENCH_ROLE=<name>`,
 * the role of that name. After `main` the process exits with `process.exitCode` (0 unless a target
 * set it), since open sockets would keep Node alive; a role keeps running until its parent stops it.
 * Any error is printed and exits 1.
 */
export function runBench(main: () => Promise<void>, roles: Readonly<Record<string, () => Promise<void>>> = {}): void {
  const role = roles[process.env['BENCH_ROLE'] ?? '']
  ;(role ?? main)().then(
    () => {
      if (!role) process.exit(process.exitCode ?? 0)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
