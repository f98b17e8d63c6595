// `pbas serve`: the app in a browser — the IPC handlers behind a token-protected bridge on 127.0.0.1.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { createAppContext } from '../../app/app-context'
import { defaultDataDir } from '../../engine/util/data-dir'
import { startBridge } from '../../server/bridge-server'
import { allowOnly, flagInt, flagString, type ParsedArgs } from '../args'

export const SERVE_HELP = 'pbas serve [--port N] [--workspace DIR]   the app in a browser (127.0.0.1 only; the printed URL carries a per-launch token)'

/** Runs until interrupted. PBAS_SERVE_TOKEN fixes the token (tests only). */
export async function runServe(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['port', 'workspace'])
  const rendererDir = join(defaultResourcesDir(), '..', 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`the app is not built (${rendererDir} is missing); run \`npm run build\` first`)
  const workspace = flagString(args, 'workspace') ?? join(defaultDataDir(), 'workspace')
  // The CLI bundle sits beside the worker bundle in out/main.
  const ctx = createAppContext(workspace, join(__dirname, 'engine-worker.js'))
  const bridge = await startBridge({ rendererDir, dispatch: ctx.dispatch as never, subscribe: (send) => {
    const offRuns = ctx.runService.on((e) => send('runs:event', e))
    const offJobs = ctx.runner.on((e) => send('jobs:event', e))
    const offStations = ctx.stationService.on((e) => send('stations:event', e))
    return () => (offRuns(), offJobs(), offStations())
  }, port: flagInt(args, 'port', 0, 0, 65535), token: process.env.PBAS_SERVE_TOKEN || undefined })
  console.log(`PBAS Inspect is running at ${bridge.url}\n(workspace ${workspace}; open the address in a browser on this machine; Ctrl-C stops it)`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  bridge.server.close()
  await ctx.close()
  return 0
}
