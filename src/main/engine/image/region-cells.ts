// A model's region as patch masks per photo size: what training keeps and inference scores.
import { computeGeometry, tileSideOf, type PreprocessOptions } from '../../../shared/image/geometry'
import { keptCells, patchMask, tiledPatchMask } from '../../../shared/image/region-grid'
import { tileLayout } from '../../../shared/image/tile-grid'
import { regionMisfit, type InspectionRegion } from '../../../shared/image/region'
import { InputError } from '../util/errors'
import { readableSizes } from './check-images'

/** Patch masks of one region, one per photo size met (a fixed camera gives one). */
export class RegionMasks {
  private readonly bySize = new Map<string, Uint8Array>()

  constructor(
    readonly region: InspectionRegion,
    private readonly preprocess: PreprocessOptions,
    private readonly grid: number,
  ) {}

  /** The patch mask of a `width` x `height` photo (grid x grid, or per tile with tiles); an InputError naming `path` when the region does not fit it. */
  mask(width: number, height: number, path: string): Uint8Array {
    const key = `${width}x${height}`
    let m = this.bySize.get(key)
    if (!m) {
      const misfit = regionMisfit(this.region, width, height)
      if (misfit) throw new InputError(`${path}: ${misfit}`)
      // With tiles, each tile's patches are masked through its own window: one mask over all of a photo's patches.
      const side = tileSideOf(this.preprocess)
      m = side
        ? tiledPatchMask(this.region, width, height, tileLayout(width, height, side), this.preprocess.crop, this.grid)
        : patchMask(this.region, width, height, computeGeometry(width, height, this.preprocess), this.grid)
      if (!m.some((v) => v)) throw new InputError(`${path}: the region to inspect covers no patch of this ${width} x ${height} photo; draw a larger region`)
      this.bySize.set(key, m)
    }
    return m
  }
}

/**
 * The patch cells training keeps for `paths` (headers read, not pixels). Every photo must give the same mask, so
 * the model learns one set of patch positions; a photo of another size that moves the region is named.
 */
export async function trainingCells(masks: RegionMasks, paths: readonly string[]): Promise<Int32Array> {
  let first: { mask: Uint8Array; path: string; size: string } | null = null
  // An unreadable photo is left out of training (and reported) there, not here.
  for (const { path, width, height } of await readableSizes(paths)) {
    const mask = masks.mask(width, height, path)
    if (!first) first = { mask, path, size: `${width} x ${height}` }
    else if (mask !== first.mask && mask.some((v, k) => v !== first!.mask[k]))
      throw new InputError(`${path} is ${width} x ${height} but ${first.path} is ${first.size}: with a region to inspect every training photo must have one size (the region's pixels land elsewhere on another); leave it out or resize it`)
  }
  if (!first) throw new InputError('no training photos to apply the region to')
  return keptCells(first.mask)
}
