// `pbas serve`: the app in a browser — the IPC handlers behind a token-protected bridge on 127.0.0.1.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { createAppContext } from '../../compose/app-context'
import { forwardEvents } from '../../compose/forward-events'
import { defaultWorkspaceDir } from '../../engine/util/data-dir'
import { startBridge } from '../../server/bridge-server'
import { flagInt, flagString, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'

/** Runs until interrupted. PBAS_SERVE_TOKEN fixes the token (tests only). */
async function runServe(args: ParsedArgs): Promise<number> {
  const rendererDir = join(defaultResourcesDir(), '..', 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`the app is not built (${rendererDir} is missing); run \`npm run build\` first`)
  const workspace = flagString(args, 'workspace') ?? defaultWorkspaceDir()
  // The CLI bundle sits beside the worker bundle in out/main.
  const ctx = createAppContext(workspace, { workerScript: join(__dirname, 'engine-worker.js'), files: flagString(args, 'files') })
  const bridge = await startBridge({
    rendererDir, dispatch: ctx.dispatch, subscribe: (send) => forwardEvents(ctx, send),
    port: flagInt(args, 'port', 0, 0, 65535), token: process.env.PBAS_SERVE_TOKEN || undefined,
  })
  console.log(`PBAS Inspect is running at ${bridge.url}\n(workspace ${ctx.location}; open the address in a browser on this machine; Ctrl-C stops it)`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  // Closes WebSocket clients too: a connected browser tab must not keep Ctrl-C from stopping the server.
  await bridge.close()
  await ctx.close()
  return 0
}

export const SERVE_COMMAND = defineCommand({
  name: 'serve',
  summary: 'the app in a browser: 127.0.0.1 only, the printed address carries a per-launch token',
  options: {
    port: { type: 'integer', min: 0, max: 65535, description: 'port on 127.0.0.1 (0: any free port)', default: 0 },
    workspace: { type: 'string', value: 'DIR|URL', description: 'workspace folder (products, runs, reviews), or a postgres:// URL shared by several machines', defaultText: 'PBAS_DATA_DIR/workspace' },
    files: { type: 'string', value: 'DIR', description: "a PostgreSQL workspace's shared folder (models, reviews), the same path on every machine; needed by the first client only", defaultText: 'the one recorded in the workspace' },
  },
  examples: ['pbas serve --port 5178'],
  notes: ['Runs until Ctrl-C.'],
  run: runServe,
})
