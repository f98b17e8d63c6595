// Handlers for backbone weights: what is stored, import from a file, download as a job.
import { basename } from 'node:path'
import { importBackbone } from '../engine/backbone/weight-store'
import { listAvailableWeights, type AvailableWeights } from '../engine/backbone/available-weights'
import { defaultResourcesDir } from '../engine/backbone/load-backbone'
import { RESNET_SPECS, type ResNetArch } from '../engine/backbone/resnet-spec'
import { TORCHVISION_FILES, weightsBaseUrl } from '../engine/backbone/torchvision-catalog'
import { defaultDataDir } from '../engine/util/data-dir'
import type { BackboneOption } from '../../shared/models/workspace'
import type { HandlerMap } from './handler-types'
import type { JobsControl } from './ports'

type BackboneChannel = 'backbones:list' | 'backbones:import' | 'backbones:fetch'

/** What the backbone handlers need. */
export interface BackboneHandlerContext {
  runner: JobsControl
  /** where backbone weights are stored (default: the user data folder) */
  dataDir?: string
}

const ARCHS = Object.keys(RESNET_SPECS).filter((a): a is ResNetArch => Object.hasOwn(RESNET_SPECS, a))

/** An architecture as the picker shows it: the user's stored weights first, else the built-in ones. */
function backboneOption(arch: ResNetArch, here: readonly AvailableWeights[]): BackboneOption {
  const mine = here.filter((w) => w.arch === arch)
  const used = mine[0]
  return {
    arch, stored: mine.some((w) => w.origin === 'store'), builtIn: mine.some((w) => w.origin === 'built-in'),
    file: used && basename(used.path), sha256: used?.sha256, layers: used?.layers, url: `${weightsBaseUrl()}/${TORCHVISION_FILES[arch]}`,
  }
}

/** Builds the backbone handlers. */
export function createBackboneHandlers(ctx: BackboneHandlerContext): HandlerMap<BackboneChannel> {
  const dataDir = () => ctx.dataDir ?? defaultDataDir()
  const available = () => listAvailableWeights(dataDir(), defaultResourcesDir())
  return {
    'backbones:list': async () => {
      const here = await available()
      return ARCHS.map((arch) => backboneOption(arch, here))
    },
    'backbones:import': async ({ path, arch }) => {
      const rec = await importBackbone(path, dataDir(), arch)
      return backboneOption(rec.arch, await available())
    },
    'backbones:fetch': async ({ arch }) => ({ jobId: ctx.runner.submit({ kind: 'backbone-fetch', arch }).id }),
  }
}
