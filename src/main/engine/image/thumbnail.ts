// Small JPEG thumbnails as data URLs, for the import screen (works in Electron and in browser mode).
import { openImage } from './open-image'

/** A `data:image/jpeg;base64,...` thumbnail no larger than `size` on its longer side. */
export async function thumbnailDataUrl(path: string, size = 96): Promise<string> {
  const { image } = await openImage(path)
  const buf = await image.resize(size, size, { fit: 'inside' }).removeAlpha().toColourspace('srgb').jpeg({ quality: 70 }).toBuffer()
  return `data:image/jpeg;base64,${buf.toString('base64')}`
}
