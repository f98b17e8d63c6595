// Exposes a station's latest verdict and counters as OPC UA variables for a PLC (node-opcua server; anonymous access off unless asked for).
import { join } from 'node:path'
import type { LineVerdict } from '../../../shared/models/line-messages'
import type { StationCounters } from '../../../shared/models/station'
import type { StationPublisher } from './station-publisher'

/** How a station's OPC UA server is reached. */
export interface OpcuaSettings {
  station: string
  /** TCP port (4840 is OPC UA's registered port) */
  port: number
  /** the one user a PLC signs in as; required unless `allowAnonymous` */
  user?: { name: string; password: string }
  /** let clients in without a user (off by default: anyone on the network could read the line's results) */
  allowAnonymous?: boolean
  /** the server's certificate store (created on first start) */
  pkiDir: string
}

/** The verdict as a number, for PLC logic that compares integers. */
export const VERDICT_CODES = { pass: 0, review: 1, fail: 2 } as const

/**
 * The node set, under Objects/PBAS/<station> in namespace `urn:pbas-inspect:station` with string node ids
 * `<station>.<name>`: what a PLC reads. Listed once here; README's table and the test read this list.
 */
export const OPCUA_VARIABLES = [
  { name: 'LastPartId', type: 'String', about: 'the last part scored (its file, relative to the watched folder)' },
  { name: 'LastScore', type: 'Double', about: 'its anomaly score' },
  { name: 'LastVerdict', type: 'String', about: 'pass, review or fail' },
  { name: 'LastVerdictCode', type: 'Int32', about: '0 pass, 1 review, 2 fail' },
  { name: 'LastSeq', type: 'UInt32', about: 'verdicts since the station started: changes with every part (a PLC watches it for the next one)' },
  { name: 'LastLatencyMs', type: 'Double', about: 'file complete -> verdict, ms' },
  { name: 'LastHottestX', type: 'Int32', about: "the heat map's hottest point in the photo's pixels" },
  { name: 'LastHottestY', type: 'Int32', about: '' },
  { name: 'ModelRevision', type: 'String', about: "the model's weights checksum (first 12 hex digits)" },
  { name: 'ThresholdRevision', type: 'Int32', about: 'the active calibration revision' },
  { name: 'PassCount', type: 'UInt32', about: 'parts passed since the results log began' },
  { name: 'ReviewCount', type: 'UInt32', about: 'parts sent to review' },
  { name: 'FailCount', type: 'UInt32', about: 'parts failed' },
  { name: 'UnreadableCount', type: 'UInt32', about: 'files that could not be read' },
  { name: 'ImagesPerSecond', type: 'Double', about: 'over the last 10 s' },
  { name: 'DriftShifted', type: 'Boolean', about: "true when the line's good parts score above the calibration images (recalibrate)" },
] as const

/** One variable's value by name. */
export type OpcuaValues = Record<(typeof OPCUA_VARIABLES)[number]['name'], string | number | boolean>

/** The variables' values for a verdict and counters (also what the test compares the server with). */
export function opcuaValues(v: Omit<LineVerdict, 'seq'> & { seq: number }, c: Pick<StationCounters, 'pass' | 'review' | 'fail' | 'unreadable' | 'imagesPerSecond' | 'drift'>): OpcuaValues {
  return {
    LastPartId: v.partId, LastScore: v.score, LastVerdict: v.verdict, LastVerdictCode: VERDICT_CODES[v.verdict], LastSeq: v.seq, LastLatencyMs: v.latencyMs,
    LastHottestX: v.hottest.x, LastHottestY: v.hottest.y, ModelRevision: v.modelRevision, ThresholdRevision: v.thresholdRevision,
    PassCount: c.pass, ReviewCount: c.review, FailCount: c.fail, UnreadableCount: c.unreadable, ImagesPerSecond: c.imagesPerSecond, DriftShifted: !!c.drift?.shifted,
  }
}

/** A running OPC UA server fed by the station. */
export class OpcuaPublisher implements StationPublisher {
  private seq = 0
  private counts: Parameters<typeof opcuaValues>[1] = { pass: 0, review: 0, fail: 0, unreadable: 0, imagesPerSecond: 0, drift: null }
  private last: Omit<LineVerdict, 'seq'> = { station: '', partId: '', score: 0, verdict: 'pass', modelRevision: '', thresholdRevision: 0, latencyMs: 0, hottest: { x: 0, y: 0, value: 0 }, scoredAt: '' }

  private constructor(private readonly stopServer: () => Promise<void>, readonly endpoint: string) {}

  /** The current values (what a client reads). */
  values(): OpcuaValues {
    return opcuaValues({ ...this.last, seq: this.seq }, this.counts)
  }

  /** Starts the server (node-opcua is loaded only here: it is large, and most stations never speak OPC UA). */
  static async start(s: OpcuaSettings): Promise<OpcuaPublisher> {
    if (!s.allowAnonymous && !s.user) throw new Error('an OPC UA server needs a user for the PLC (--opcua-user NAME:PASSWORD), or anonymous access allowed explicitly (--opcua-anonymous)')
    const { OPCUAServer } = await import('node-opcua-server')
    const { Variant, DataType } = await import('node-opcua-variant')
    const { OPCUACertificateManager } = await import('node-opcua-certificate-manager')
    const { MessageSecurityMode, SecurityPolicy } = await import('node-opcua-secure-channel')
    const server = new OPCUAServer({
      port: s.port,
      resourcePath: '/PBAS',
      allowAnonymous: !!s.allowAnonymous,
      userManager: { isValidUser: (name: string, password: string) => !!s.user && name === s.user.name && password === s.user.password },
      // Client certificates (SignAndEncrypt) are trusted only once copied into pki/trusted/certs: never on sight.
      serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(s.pkiDir, 'pki'), automaticallyAcceptUnknownCertificate: false }),
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      buildInfo: { productName: 'PBAS Inspect station', manufacturerName: 'PBAS Inspect' },
    })
    await server.initialize()
    const space = server.engine.addressSpace!
    const ns = space.registerNamespace('urn:pbas-inspect:station')
    const pbas = ns.addFolder(space.rootFolder.objects, { browseName: 'PBAS', nodeId: 's=PBAS' })
    const folder = ns.addObject({ organizedBy: pbas, browseName: s.station, nodeId: `s=${s.station}` })
    const pub = new OpcuaPublisher(async () => server.shutdown(0), server.getEndpointUrl())
    for (const v of OPCUA_VARIABLES)
      ns.addVariable({
        componentOf: folder, browseName: v.name, nodeId: `s=${s.station}.${v.name}`, dataType: v.type, minimumSamplingInterval: 100,
        value: { get: () => new Variant({ dataType: DataType[v.type], value: pub.values()[v.name] }) },
      })
    await server.start()
    return pub
  }

  async verdict(v: Omit<LineVerdict, 'seq'>): Promise<void> {
    this.last = v
    this.seq++
  }

  counters(c: StationCounters): void {
    this.counts = c
  }

  close(): Promise<void> {
    return this.stopServer()
  }
}
