// torchvision ResNet family layouts and the state_dict keys/shapes each one needs.
import type { StateDict } from './weights/host-tensor'

/** Architectures we build in tfjs with torchvision's exact layer layout. */
export type ResNetArch = import('../../../shared/models/pbas-config').BackboneArch

export interface ResNetSpec {
  block: 'basic' | 'bottleneck'
  blocks: [number, number, number, number]
  /** inner width multiplier of bottleneck blocks (2 for WideResNet50-2) */
  widthFactor: number
}

export const RESNET_SPECS: Record<ResNetArch, ResNetSpec> = {
  resnet18: { block: 'basic', blocks: [2, 2, 2, 2], widthFactor: 1 },
  resnet50: { block: 'bottleneck', blocks: [3, 4, 6, 3], widthFactor: 1 },
  wide_resnet50_2: { block: 'bottleneck', blocks: [3, 4, 6, 3], widthFactor: 2 },
}

export const RESNET_TAPS = ['layer1', 'layer2', 'layer3', 'layer4'] as const

/** One convolution followed by its batch norm, as named in the state dict. */
export interface ConvSpec {
  conv: string
  bn: string
  inCh: number
  outCh: number
  k: number
  stride: number
  pad: number
}

/** One residual block: its convs in order plus an optional downsample conv. */
export interface BlockSpec {
  convs: ConvSpec[]
  downsample: ConvSpec | null
}

/** The stem and the blocks of each layer up to `layers` (1..4). */
export function resnetLayout(arch: ResNetArch, layers = 4): { stem: ConvSpec; layers: BlockSpec[][]; channels: number[] } {
  const spec = RESNET_SPECS[arch]
  const expansion = spec.block === 'basic' ? 1 : 4
  const stem: ConvSpec = { conv: 'conv1', bn: 'bn1', inCh: 3, outCh: 64, k: 7, stride: 2, pad: 3 }
  let inCh = 64
  const out: BlockSpec[][] = []
  const channels: number[] = []
  for (let l = 0; l < layers; l++) {
    const planes = 64 * 2 ** l
    const width = planes * spec.widthFactor
    const blocks: BlockSpec[] = []
    for (let b = 0; b < spec.blocks[l]; b++) {
      const stride = b === 0 && l > 0 ? 2 : 1
      const p = `layer${l + 1}.${b}`
      const c = (i: number, ci: number, co: number, k: number, s: number): ConvSpec => ({
        conv: `${p}.conv${i}`, bn: `${p}.bn${i}`, inCh: ci, outCh: co, k, stride: s, pad: (k - 1) / 2,
      })
      const convs =
        spec.block === 'basic'
          ? [c(1, inCh, planes, 3, stride), c(2, planes, planes, 3, 1)]
          : // torchvision v1.5: the stride sits on the 3x3 conv
            [c(1, inCh, width, 1, 1), c(2, width, width, 3, stride), c(3, width, planes * expansion, 1, 1)]
      const outCh = planes * expansion
      const downsample =
        stride !== 1 || inCh !== outCh
          ? { conv: `${p}.downsample.0`, bn: `${p}.downsample.1`, inCh, outCh, k: 1, stride, pad: 0 }
          : null
      blocks.push({ convs, downsample })
      inCh = outCh
    }
    out.push(blocks)
    channels.push(inCh)
  }
  return { stem, layers: out, channels }
}

/** Every state_dict key (with shape) needed to run up to `layers`. */
export function resnetExpectedKeys(arch: ResNetArch, layers = 4): Map<string, number[]> {
  const { stem, layers: ls } = resnetLayout(arch, layers)
  const keys = new Map<string, number[]>()
  const add = (c: ConvSpec) => {
    keys.set(`${c.conv}.weight`, [c.outCh, c.inCh, c.k, c.k])
    for (const s of ['weight', 'bias', 'running_mean', 'running_var']) keys.set(`${c.bn}.${s}`, [c.outCh])
  }
  add(stem)
  for (const blocks of ls)
    for (const b of blocks) {
      b.convs.forEach(add)
      if (b.downsample) add(b.downsample)
    }
  return keys
}

/** Deepest layer (1..4) present in a state dict, 0 if none; files cut after layer3 are common for feature extraction. */
export function layersPresent(dict: StateDict): number {
  for (let l = 4; l >= 1; l--) if (dict.has(`layer${l}.0.conv1.weight`)) return l
  return 0
}
