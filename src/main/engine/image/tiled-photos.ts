// A tiled model's photo size: every training photo must have one, because its tiles are the model's patch positions.
import { tileSideOf, type PreprocessOptions } from '../../../shared/image/geometry'
import { InputError } from '../util/errors'
import { readableSizes } from './check-images'
import { tileLayout, type ModelTiling } from '../../../shared/image/tile-grid'

/**
 * The tiling of `paths` under a tiled preprocessing (headers read, not pixels), or null for the single-square fits.
 * A photo of another size than the first readable one is named: its tiles would not line up with the others'.
 */
export async function trainingTiling(paths: readonly string[], preprocess: PreprocessOptions): Promise<ModelTiling | null> {
  const side = tileSideOf(preprocess)
  if (!side) return null
  // An unreadable photo is left out of training (and reported) there, not here.
  const photos = await readableSizes(paths)
  const first = photos[0]
  if (!first) throw new InputError('no readable training photos to tile')
  const other = photos.find((p) => p.width !== first.width || p.height !== first.height)
  if (other)
    throw new InputError(`${other.path} is ${other.width} x ${other.height} but ${first.path} is ${first.width} x ${first.height}: with tiles every photo of a model must have one size (each tile position is learnt on its own); leave it out, resize it, or use fit "stretch"`)
  return { photoWidth: first.width, photoHeight: first.height, side, tiles: tileLayout(first.width, first.height, side).length }
}

/** Why a photo cannot be scored by a model tiled for another photo size (the message names the file), or null. */
export function tilingMisfit(tiling: ModelTiling | undefined, path: string, width: number, height: number): string | null {
  if (!tiling || (width === tiling.photoWidth && height === tiling.photoHeight)) return null
  return `${path} is ${width} x ${height} but the model scores ${tiling.photoWidth} x ${tiling.photoHeight} photos in ${tiling.tiles} tiles; photograph it at the model's size or train a model for this size`
}
