// Test helper: small tfjs models written to a folder (a MobileNetV1-shaped layers model, a graph model), standing in for ../shared's real MobileNets.
import * as tf from '@tensorflow/tfjs'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

function writeArtifacts(dir: string, topology: object, format: string, specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'weights.bin'), Buffer.from(data))
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ format, generatedBy: 'pbas tests', modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] }))
}

/**
 * Writes a tfjs layers model whose layer names, strides and channels are those of the bundled
 * mobilenet_v1_imagenet descriptor (conv_pw_3/5/11_relu at strides 4/8/16, 128/256/512 channels), seeded random
 * weights. Name the folder mobilenet_v1_imagenet to have loadBackbone pick the bundled descriptor.
 */
export async function writeMobileNetLikeLayersModel(dir: string, seed = 1): Promise<void> {
  const input = tf.input({ shape: [null, null, 3] })
  let x: tf.SymbolicTensor = input
  const block = (filters: number, kernel: number, name: string) => {
    x = tf.layers.conv2d({ filters, kernelSize: kernel, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }), name: `${name}_conv` }).apply(x) as tf.SymbolicTensor
    x = tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor
  }
  block(16, 3, 'conv1_relu')
  block(128, 1, 'conv_pw_3_relu')
  block(256, 1, 'conv_pw_5_relu')
  block(512, 1, 'conv_pw_11_relu')
  const model = tf.model({ inputs: input, outputs: x })
  await model.save(tf.io.withSaveHandler(async (a) => {
    writeArtifacts(dir, a.modelTopology as object, 'layers-model', a.weightSpecs!, a.weightData as ArrayBuffer)
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
  }))
  model.dispose()
}

/** Graph-model tap names written by writeTinyGraphModel (strides 8 and 16). */
export const GRAPH_TAPS = ['net/block3/Relu6', 'net/block4/Relu6'] as const

/**
 * Writes a tfjs graph model (four stride-2 Conv2D + Relu6 blocks on an 'images' placeholder pinned to 64 px, as
 * converted graphs often are) and its pbas-backbone.json naming the taps by node name.
 */
export function writeTinyGraphModel(dir: string, seed = 3): void {
  const str = (s: string) => ({ s: Buffer.from(s).toString('base64') })
  const nodes: object[] = [{ name: 'images', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '1' }, { size: '64' }, { size: '64' }, { size: '3' }] } } } }]
  const specs: tf.io.WeightsManifestEntry[] = []
  const chunks: Float32Array[] = []
  const widths = [3, 8, 16, 24, 32]
  let prev = 'images'
  let s = seed
  for (let b = 1; b <= 4; b++) {
    const shape = [3, 3, widths[b - 1], widths[b]]
    const w = Float32Array.from({ length: shape.reduce((a, c) => a * c) }, () => (((s = (s * 16807) % 2147483647) / 2147483647) - 0.5) * 0.6)
    const wName = `net/block${b}/weights`
    nodes.push({ name: wName, op: 'Const', attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } }, dtype: { type: 'DT_FLOAT' } } })
    nodes.push({ name: `net/block${b}/Conv2D`, op: 'Conv2D', input: [prev, wName], attr: { T: { type: 'DT_FLOAT' }, strides: { list: { i: ['1', '2', '2', '1'] } }, padding: str('SAME'), data_format: str('NHWC'), dilations: { list: { i: ['1', '1', '1', '1'] } } } })
    nodes.push({ name: `net/block${b}/Relu6`, op: 'Relu6', input: [`net/block${b}/Conv2D`], attr: { T: { type: 'DT_FLOAT' } } })
    specs.push({ name: wName, shape, dtype: 'float32' })
    chunks.push(w)
    prev = `net/block${b}/Relu6`
  }
  const all = new Float32Array(chunks.reduce((a, c) => a + c.length, 0))
  chunks.reduce((o, c) => (all.set(c, o), o + c.length), 0)
  writeArtifacts(dir, { node: nodes, versions: { producer: 1 } }, 'graph-model', specs, all.buffer)
  const descriptor = {
    name: 'tiny_graph',
    format: 'tfjs-graph',
    inputNode: 'images',
    input: { mean: [0, 0, 0], std: [1, 1, 1] },
    taps: [{ name: GRAPH_TAPS[0], stride: 8, channels: 24 }, { name: GRAPH_TAPS[1], stride: 16, channels: 32 }],
    defaultTaps: [...GRAPH_TAPS],
  }
  writeFileSync(join(dir, 'pbas-backbone.json'), JSON.stringify(descriptor, null, 2))
}
