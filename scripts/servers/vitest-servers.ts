// Vitest global set-up: one PostgreSQL server for the whole unit run (each test makes its own database in it).
import type { TestProject } from 'vitest/node'
import { startPostgres, type PostgresServer } from './postgres-server'

declare module 'vitest' {
  export interface ProvidedContext {
    /** the test server's admin URL, or '' when there is none */
    postgresUrl: string
    /** why there is no server (printed by the tests that skip) */
    postgresSkip: string
  }
}

let server: PostgresServer | null = null

/** Starts the server; where it cannot start, the PostgreSQL variants skip with the reason (CI requires them). */
export async function setup(project: TestProject): Promise<void> {
  const r = await startPostgres()
  if (typeof r === 'string') {
    if (process.env.PBAS_REQUIRE_SERVER_TESTS === '1') throw new Error(`PBAS_REQUIRE_SERVER_TESTS=1 but ${r}`)
    console.log(`PostgreSQL workspace tests skip: ${r}`)
    project.provide('postgresUrl', '')
    project.provide('postgresSkip', r)
    return
  }
  server = r
  project.provide('postgresUrl', r.url)
  project.provide('postgresSkip', '')
}

export function teardown(): void {
  server?.stop()
}
