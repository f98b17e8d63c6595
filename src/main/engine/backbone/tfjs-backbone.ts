// Any TensorFlow.js layers or graph model folder as a backbone, described by a small JSON file.
import * as tf from '@tensorflow/tfjs'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { deepestTap, normalizeInput, tfForwardHost, type Backbone, type InputNorm } from './backbone'

/** Contents of `pbas-backbone.json` next to a model.json. */
export interface TfjsBackboneDescriptor {
  name: string
  format: 'tfjs-layers' | 'tfjs-graph'
  /** graph models: the input placeholder's name */
  inputNode?: string
  /** scaling from RGB in [0, 1]; [-1, 1] models use mean 0.5, std 0.5 */
  input: InputNorm
  taps: { name: string; stride: number; channels: number }[]
  defaultTaps: string[]
}

/** File name of the descriptor expected next to model.json. */
export const DESCRIPTOR_FILE = 'pbas-backbone.json'

function fail(dir: string, what: string): never {
  throw new Error(`Cannot use ${dir} as a backbone: ${what}`)
}

/** Validates a parsed descriptor and returns it typed. */
export function parseDescriptor(raw: unknown, where: string): TfjsBackboneDescriptor {
  const d = raw as Partial<TfjsBackboneDescriptor>
  const bad = (m: string) => fail(where, `${DESCRIPTOR_FILE} ${m}`)
  if (!d || typeof d !== 'object') bad('is not a JSON object')
  if (d.format !== 'tfjs-layers' && d.format !== 'tfjs-graph') bad("needs format 'tfjs-layers' or 'tfjs-graph'")
  if (!d.input || d.input.mean?.length !== 3 || d.input.std?.length !== 3) bad('needs input.mean and input.std (3 numbers each)')
  if (!Array.isArray(d.taps) || d.taps.length === 0) bad('needs a non-empty taps list of {name, stride, channels}')
  if (d.format === 'tfjs-graph' && !d.inputNode) bad('needs inputNode for a graph model')
  const names = d.taps!.map((t) => t.name)
  const defaults = d.defaultTaps ?? names.slice(-2)
  for (const t of defaults) if (!names.includes(t)) bad(`defaultTaps names unknown tap ${t}`)
  return { ...(d as TfjsBackboneDescriptor), name: d.name ?? 'tfjs-model', defaultTaps: defaults }
}

/** Reads model.json and its weight shards into memory; makes graph-model inputs size-free. */
function readArtifacts(dir: string, desc: TfjsBackboneDescriptor): { artifacts: tf.io.ModelArtifacts; sha256: string } {
  const modelPath = join(dir, 'model.json')
  if (!existsSync(modelPath)) fail(dir, 'no model.json in the folder')
  const hash = createHash('sha256')
  const jsonText = readFileSync(modelPath)
  hash.update(jsonText)
  let model: { modelTopology: unknown; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; format?: string }
  try {
    model = JSON.parse(jsonText.toString('utf8'))
  } catch (err) {
    fail(dir, `model.json is not valid JSON (${(err as Error).message})`)
  }
  const shards: Buffer[] = []
  for (const group of model.weightsManifest ?? [])
    for (const p of group.paths) {
      const f = join(dir, p)
      if (!existsSync(f)) fail(dir, `weight shard ${p} listed in model.json is missing`)
      const b = readFileSync(f)
      hash.update(b)
      shards.push(b)
    }
  const all = Buffer.concat(shards)
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer
  if (desc.format === 'tfjs-graph') {
    // Converted graphs often pin the placeholder to their training size; accept any H x W.
    const nodes = (model.modelTopology as { node: { op: string; name: string; attr?: { shape?: { shape?: { dim?: { size: string }[] } } } }[] }).node
    const input = nodes.find((n) => n.op === 'Placeholder' && n.name === desc.inputNode)
    if (!input) fail(dir, `graph has no input placeholder '${desc.inputNode}'`)
    const dims = input.attr?.shape?.shape?.dim
    if (dims?.length === 4) dims.forEach((d, i) => i < 3 && (d.size = '-1'))
  }
  return {
    sha256: hash.digest('hex'),
    artifacts: {
      modelTopology: model.modelTopology as object,
      weightSpecs: (model.weightsManifest ?? []).flatMap((g) => g.weights),
      weightData,
      format: model.format,
    },
  }
}

/** Loads a tfjs model folder as a Backbone; the descriptor defaults to `dir/pbas-backbone.json`. */
export async function loadTfjsBackbone(dir: string, descriptor?: TfjsBackboneDescriptor): Promise<Backbone> {
  let desc = descriptor
  if (!desc) {
    const f = join(dir, DESCRIPTOR_FILE)
    if (!existsSync(f)) fail(dir, `add a ${DESCRIPTOR_FILE} naming the feature taps and input scaling (see resources/backbones/*.json)`)
    desc = parseDescriptor(JSON.parse(readFileSync(f, 'utf8')), dir)
  }
  const { artifacts, sha256 } = readArtifacts(dir, desc)
  const io = tf.io.fromMemory(artifacts)
  const taps = desc.taps.map((t) => t.name)
  const channels = Object.fromEntries(desc.taps.map((t) => [t.name, t.channels]))
  const strides = Object.fromEntries(desc.taps.map((t) => [t.name, t.stride]))
  let run: (x: tf.Tensor4D, want: readonly string[]) => tf.Tensor4D[]
  let disposeModel: () => void
  if (desc.format === 'tfjs-layers') {
    const model = await tf.loadLayersModel(io)
    for (const t of taps) if (!model.layers.some((l) => l.name === t)) fail(dir, `the model has no layer '${t}'`)
    const subModels = new Map<string, tf.LayersModel>()
    run = (x, want) => {
      const key = want.join('|')
      // A sub-model with the taps as outputs runs only the layers those taps depend on.
      if (!subModels.has(key)) subModels.set(key, tf.model({ inputs: model.inputs, outputs: want.map((t) => model.getLayer(t).output as tf.SymbolicTensor) }))
      const out = subModels.get(key)!.predict(x)
      return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[]
    }
    disposeModel = () => model.dispose()
  } else {
    const model = await tf.loadGraphModel(io)
    run = (x, want) => {
      const out = model.execute({ [desc!.inputNode!]: x }, [...want])
      return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[]
    }
    disposeModel = () => model.dispose()
  }
  const backbone: Backbone = {
    id: `${desc.format}:${desc.name}`,
    weightsChecksum: sha256,
    inputNorm: desc.input,
    taps,
    defaultTaps: desc.defaultTaps,
    channels,
    strides,
    forward(x, want) {
      deepestTap(backbone, want)
      return tf.tidy(() => {
        const outs = run(normalizeInput(tf, x, desc!.input), want)
        outs.forEach((o, i) => {
          if (o.shape[3] !== channels[want[i]]) throw new Error(`tap ${want[i]} has ${o.shape[3]} channels, the descriptor says ${channels[want[i]]}`)
        })
        return outs
      })
    },
    runtime: 'tfjs',
    forwardHost: (x, want) => tfForwardHost(tf, backbone, x, want),
    dispose: disposeModel,
  }
  return backbone
}
