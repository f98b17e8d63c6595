// Backbone weights for the app's picker: what is available per architecture (the user's store first), and imports.
import { basename } from 'node:path'
import { importBackbone } from '../engine/backbone/weight-store'
import { listAvailableWeights, type AvailableWeights } from '../engine/backbone/available-weights'
import { defaultResourcesDir } from '../engine/backbone/load-backbone'
import { RESNET_SPECS, type ResNetArch } from '../engine/backbone/resnet-spec'
import { TORCHVISION_FILES, weightsBaseUrl } from '../engine/backbone/torchvision-catalog'
import { defaultDataDir } from '../engine/util/data-dir'
import type { BackboneOption } from '../../shared/models/workspace'

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

/** The weight store as the app sees it. */
export class BackboneService {
  /** `dataDir`: where backbone weights are stored (default: the user data folder). */
  constructor(private readonly dataDir: string = defaultDataDir()) {}

  private available(): Promise<AvailableWeights[]> {
    return listAvailableWeights(this.dataDir, defaultResourcesDir())
  }

  /** One option per architecture the engine builds. */
  async list(): Promise<BackboneOption[]> {
    const here = await this.available()
    return ARCHS.map((arch) => backboneOption(arch, here))
  }

  /** Imports a weight file (checked, stored atomically) and returns its architecture's option. */
  async import(path: string, arch?: ResNetArch): Promise<BackboneOption> {
    const rec = await importBackbone(path, this.dataDir, arch)
    return backboneOption(rec.arch, await this.available())
  }
}
