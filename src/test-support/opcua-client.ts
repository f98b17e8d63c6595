// An OPC UA client that signs in as a PLC would and reads a station's variables (tests and the fleet benchmark).
import { join } from 'node:path'

/** Reads `names` under Objects/PBAS/<station>; `user` null tries anonymously (which a default station refuses). */
export async function readOpcua(endpoint: string, station: string, names: readonly string[], user: { name: string; password: string } | null, pkiDir: string): Promise<Record<string, unknown>> {
  const { OPCUAClient, AttributeIds, UserTokenType, MessageSecurityMode, SecurityPolicy } = await import('node-opcua-client')
  const { OPCUACertificateManager } = await import('node-opcua-certificate-manager')
  const client = OPCUAClient.create({
    endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 2, initialDelay: 200 },
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(pkiDir, 'pki'), automaticallyAcceptUnknownCertificate: true }),
  })
  await client.connect(endpoint)
  try {
    const session = await client.createSession(user ? { type: UserTokenType.UserName, userName: user.name, password: user.password } : { type: UserTokenType.Anonymous })
    const ns = (await session.readNamespaceArray()).indexOf('urn:pbas-inspect:station')
    const values = await session.read(names.map((n) => ({ nodeId: `ns=${ns};s=${station}.${n}`, attributeId: AttributeIds.Value })))
    await session.close()
    return Object.fromEntries(names.map((n, i) => [n, values[i].value.value]))
  } finally {
    await client.disconnect()
  }
}
