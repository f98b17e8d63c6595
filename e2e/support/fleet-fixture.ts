// Stations on other machines, played by another process: writes fleet records into the e2e workspace (run with tsx).
import { openWorkspace } from '../../src/main/workspace/workspace-db'
import { ProductStore } from '../../src/main/workspace/products'
import { RunStore } from '../../src/main/workspace/runs'
import { StationStore } from '../../src/main/workspace/stations'
import { resolveConfig } from '../../src/main/engine/pbas/config'
import type { FleetReport } from '../../src/shared/models/fleet'
import type { DatasetSummary } from '../../src/shared/models/dataset-summary'

const report = (over: Partial<FleetReport>): FleetReport => ({
  state: 'running', modelDir: '/srv/models/a', modelRevision: '3f2a9c01bb7e', thresholdRevision: 2, imagesPerSecond: 28.4, latencyP95Ms: 91, pass: 1180, review: 14, fail: 6, unreadable: 0,
  driftShifted: false, last: { partId: 'cam-01180.png', score: 0.1234, verdict: 'pass', at: new Date().toISOString() }, switched: null, pushError: null, publishes: { mqtt: true, opcua: true }, acceptsPush: true, ...over,
})

const [command, workspace, arg] = process.argv.slice(2)
const { db } = openWorkspace(workspace)
try {
  const stations = new StationStore(db)
  if (command === 'setup') {
    // A product with two finished runs; two stations on the older one, one of them drifting.
    const products = new ProductStore(db)
    const runs = new RunStore(db)
    const product = products.create(arg)
    const ds = products.addDataset(product.id, { root: '/srv/data/bottle', layout: 'mvtec', ok: true } as DatasetSummary)
    const old = runs.setState(runs.create(product.id, ds.id, resolveConfig(), () => '/srv/models/a', { name: 'Spring capture' }).id, 'succeeded')
    const next = runs.setState(runs.create(product.id, ds.id, resolveConfig(), () => '/srv/models/b', { name: 'Autumn recalibrated' }).id, 'succeeded')
    stations.report('line-1', 'line-1', 'cell-a-pc', old.id, report({}))
    stations.report('line-2', 'line-2', 'cell-b-pc', old.id, report({ driftShifted: true, imagesPerSecond: 12.1, last: { partId: 'cam-00412.png', score: 0.71, verdict: 'fail', at: new Date().toISOString() }, publishes: { mqtt: true, opcua: false } }))
    // A station an engineer runs from the app at a desk: listed, not pushable.
    stations.report('qe-desk-app', 'qe-desk-app', 'qe-desk', next.id, report({ imagesPerSecond: 3.2, publishes: { mqtt: false, opcua: false }, acceptsPush: false }))
    console.log(JSON.stringify({ next: next.id }))
  } else if (command === 'take') {
    // line-1 takes what was pushed to it between two parts and reports the switch.
    const push = stations.pushed('line-1')
    if (!push) throw new Error('nothing was pushed to line-1')
    stations.took('line-1', push.runId)
    stations.report('line-1', 'line-1', 'cell-a-pc', push.runId, report({ modelDir: push.modelDir, modelRevision: '77c0e1d2aa90', switched: { runId: push.runId, at: new Date().toISOString() } }))
    console.log(JSON.stringify(push))
  } else throw new Error(`unknown command ${command}`)
} finally {
  db.close()
}
