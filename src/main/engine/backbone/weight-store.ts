// The user's cache of backbone weights: fetch (online) or import (offline), verified, stored atomically.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { writeFileAtomic } from '../util/atomic-write'
import { readRegularFile } from '../util/file-policy'
import type { JobOptions } from '../util/job'
import { downloadFile, type DownloadProgress } from './download'
import { RESNET_SPECS, layersPresent, resnetExpectedKeys, type ResNetArch } from './resnet-spec'
import { TORCHVISION_FILES, hashPrefixFromName, weightsBaseUrl } from './torchvision-catalog'
import { checkStateDict, parseWeights, WeightsError } from './weights/read-weights'
import type { StateDict } from './weights/host-tensor'
import type { StoredWeights } from '../../../shared/models/pbas-config'

export type { StoredWeights } from '../../../shared/models/pbas-config'

/** Folder holding stored weights. */
export function weightsDir(dataDir: string): string {
  return join(dataDir, 'backbones')
}

/** Tells a torchvision ResNet state dict's architecture from its shapes. */
export function inferArch(dict: StateDict, file: string): ResNetArch {
  const c1 = dict.get('layer1.0.conv1.weight')
  if (!c1) throw new WeightsError(`${file} is not a torchvision ResNet state_dict (no layer1.0.conv1.weight).`)
  if (dict.has('layer1.0.conv3.weight')) {
    if (c1.shape[0] === 64) return 'resnet50'
    if (c1.shape[0] === 128) return 'wide_resnet50_2'
  } else if (!dict.has('layer1.2.conv1.weight')) return 'resnet18'
  throw new WeightsError(`${file} is a ResNet variant we do not build; supported: ${Object.keys(RESNET_SPECS).join(', ')}.`)
}

/** A weight-store record (`<arch>.json` beside its weights): the one schema every read goes through. */
const storedWeightsSchema = z.object({
  arch: z.enum(Object.keys(RESNET_SPECS) as [ResNetArch, ...ResNetArch[]]),
  // A bare file name in the store's own folder: a record never points elsewhere.
  file: z.string().min(1).refine((f) => basename(f) === f, { error: 'must be a file name in the store folder' }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 in hex' }),
  source: z.string(),
  layers: z.int().min(1).max(4),
  storedAt: z.string(),
}) satisfies z.ZodType<StoredWeights>

/** Reads and checks one record; a damaged or foreign one is refused with the file named and what to do. */
async function readRecord(path: string): Promise<StoredWeights> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new WeightsError(`${path} is damaged (${(err as Error).message}); delete it and import or fetch those weights again.`)
  }
  const r = storedWeightsSchema.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new WeightsError(`${path} is not a weight-store record this version reads (${i.path.join('.') || 'the file'}: ${i.message}); delete it and import or fetch those weights again.`)
  }
  return r.data
}

/** Lists stored weights, one record per architecture. */
export async function listStoredWeights(dataDir: string): Promise<StoredWeights[]> {
  const dir = weightsDir(dataDir)
  if (!existsSync(dir)) return []
  const out: StoredWeights[] = []
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    const rec = await readRecord(join(dir, f))
    if (existsSync(join(dir, rec.file))) out.push(rec)
  }
  return out
}

/** The stored weights for `arch`, or null. */
export async function findStoredWeights(dataDir: string, arch: ResNetArch): Promise<StoredWeights | null> {
  return (await listStoredWeights(dataDir)).find((r) => r.arch === arch) ?? null
}

async function record(dataDir: string, rec: StoredWeights): Promise<StoredWeights> {
  await writeFileAtomic(join(weightsDir(dataDir), `${rec.arch}.json`), JSON.stringify(rec, null, 2) + '\n')
  return rec
}

function validate(buf: Buffer, file: string, arch?: ResNetArch): { arch: ResNetArch; layers: number } {
  const dict = parseWeights(buf, file)
  const found = inferArch(dict, file)
  if (arch && arch !== found) throw new WeightsError(`${file} holds ${found} weights, not ${arch}.`)
  const layers = layersPresent(dict)
  if (layers < 3) throw new WeightsError(`${file} stops at layer${layers}; PBAS needs at least layer3.`)
  checkStateDict(dict, resnetExpectedKeys(found, layers), file)
  return { arch: found, layers }
}

/**
 * Downloads torchvision's ImageNet weights for `arch`, checks the sha256 prefix published in the file
 * name, checks the tensors fit the architecture, and stores them. Progress: download events.
 */
export async function fetchBackbone(
  arch: ResNetArch,
  dataDir: string,
  opts: JobOptions<DownloadProgress> = {},
  files: Record<ResNetArch, string> = TORCHVISION_FILES,
): Promise<StoredWeights> {
  const file = files[arch]
  const url = `${weightsBaseUrl()}/${file}`
  const dest = join(weightsDir(dataDir), file)
  const { sha256 } = await downloadFile(url, dest, hashPrefixFromName(file), opts)
  const { layers } = validate(await readFile(dest), dest, arch)
  return record(dataDir, { arch, file, sha256, source: url, layers, storedAt: new Date().toISOString() })
}

/**
 * Imports a weight file the user already has (.pth in either PyTorch format, or .safetensors): checks it,
 * verifies a hash prefix if its name carries one, and copies it into the store.
 */
export async function importBackbone(path: string, dataDir: string, arch?: ResNetArch): Promise<StoredWeights> {
  const buf = await readRegularFile(path, 'weights')
  const sha256 = createHash('sha256').update(buf).digest('hex')
  const prefix = hashPrefixFromName(basename(path))
  if (prefix && !sha256.startsWith(prefix))
    throw new WeightsError(`${path} is damaged or not the published file: its sha256 starts ${sha256.slice(0, 12)}, the name says ${prefix}.`)
  const found = validate(buf, path, arch)
  const ext = basename(path).endsWith('.safetensors') ? '.safetensors' : '.pth'
  const file = `${found.arch}-${sha256.slice(0, 8)}${ext}`
  await mkdir(weightsDir(dataDir), { recursive: true })
  // The bytes checked above, not the path again: a file swapped after the check cannot slip into the store.
  await writeFileAtomic(join(weightsDir(dataDir), file), buf)
  return record(dataDir, { arch: found.arch, file, sha256, source: path, layers: found.layers, storedAt: new Date().toISOString() })
}
