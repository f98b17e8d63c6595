// Reads a region file given to the CLI: a JSON region, or a mask image (white = inspect, black = ignore).
import { bitmapOf, parseRegion, RegionError, type InspectionRegion } from '../../../shared/image/region'
import { InputError } from '../util/errors'
import { readRegularFile } from '../util/file-policy'
import { isImagePath, openImage } from './open-image'

/**
 * The region in `path`. JSON: { imageWidth, imageHeight, inspect: [shapes], ignore: [shapes] } with rect and
 * polygon shapes in photo pixels. An image: a mask of the photos' size whose light pixels (above mid-grey) are
 * inspected. Errors name the file and what to change.
 */
export async function readRegionFile(path: string): Promise<InspectionRegion> {
  if (isImagePath(path)) {
    const { image, info } = await openImage(path)
    const { data } = await image.removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true })
    const bitmap = bitmapOf(info.width, info.height, (i) => data[i] > 127)
    if (!bitmap.runs.some((r) => r.length)) throw new InputError(`the mask image ${path} is black everywhere, so nothing would be inspected; paint the area to inspect white`)
    return { imageWidth: info.width, imageHeight: info.height, inspect: [bitmap], ignore: [] }
  }
  let raw: unknown
  try {
    raw = JSON.parse((await readRegularFile(path, 'json')).toString('utf8'))
  } catch (err) {
    if (err instanceof SyntaxError) throw new InputError(`the region file ${path} is not valid JSON (${err.message}); give a JSON region or a mask image (PNG, white = inspect)`)
    throw err
  }
  try {
    return parseRegion(raw, path)
  } catch (err) {
    if (err instanceof RegionError) throw new InputError(err.message)
    throw err
  }
}
