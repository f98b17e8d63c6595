// Handlers for backbone weights: what is stored, import from a file, download as a job.
import { importBackbone, listStoredWeights, type StoredWeights } from '../engine/backbone/weight-store'
import { RESNET_SPECS, type ResNetArch } from '../engine/backbone/resnet-spec'
import { TORCHVISION_FILES, weightsBaseUrl } from '../engine/backbone/torchvision-catalog'
import { defaultDataDir } from '../engine/util/data-dir'
import type { BackboneOption } from '../../shared/models/workspace'
import type { HandlerMap } from './handler-types'
import type { JobsControl } from './ports'
import { object, oneOf, requireString } from './validate'

type BackboneChannel = 'backbones:list' | 'backbones:import' | 'backbones:fetch'

/** What the backbone handlers need. */
export interface BackboneHandlerContext {
  runner: JobsControl
  /** where backbone weights are stored (default: the user data folder) */
  dataDir?: string
}

const ARCHS = Object.keys(RESNET_SPECS).filter((a): a is ResNetArch => Object.hasOwn(RESNET_SPECS, a))

function backboneOption(arch: ResNetArch, stored?: StoredWeights): BackboneOption {
  return { arch, stored: !!stored, file: stored?.file, sha256: stored?.sha256, layers: stored?.layers, url: `${weightsBaseUrl()}/${TORCHVISION_FILES[arch]}` }
}

/** Builds the backbone handlers. */
export function createBackboneHandlers(ctx: BackboneHandlerContext): HandlerMap<BackboneChannel> {
  const dataDir = () => ctx.dataDir ?? defaultDataDir()
  return {
    'backbones:list': async () => {
      const stored = await listStoredWeights(dataDir())
      return ARCHS.map((arch) => backboneOption(arch, stored.find((w) => w.arch === arch)))
    },
    'backbones:import': async (arg) => {
      const a = object(arg, '{ path, arch? }')
      const rec = await importBackbone(requireString(a.path, 'path'), dataDir(), a.arch === undefined ? undefined : oneOf(a.arch, ARCHS, 'arch'))
      return backboneOption(rec.arch, rec)
    },
    'backbones:fetch': async (arg) => ({ jobId: ctx.runner.submit({ kind: 'backbone-fetch', arch: oneOf(object(arg, '{ arch }').arch, ARCHS, 'arch') }).id }),
  }
}
