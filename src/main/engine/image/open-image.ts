// Opens any supported image file as a sharp pipeline (BMP via bmp-ts), with errors that name the file.
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { decode as decodeBmp } from 'bmp-ts'
import { InputError } from '../util/errors'

/** File extensions the product reads as images. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp'] as const

/** True when the path has an image extension we read (case-insensitive). */
export function isImagePath(path: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())
}

/** An unreadable or unsupported image; the message names the file and says what to do. */
export class ImageReadError extends InputError {
  constructor(
    readonly path: string,
    reason: string,
    code: 'invalid-input' | 'not-found' = 'invalid-input',
  ) {
    super(
      `Cannot read image ${path}: ${reason}. ` +
        'Check that the file is a complete PNG, JPEG, BMP, TIFF or WebP image (re-export it from the camera software if needed).',
      code,
    )
    this.name = 'ImageReadError'
  }
}

function isBmp(buf: Buffer): boolean {
  return buf.length > 2 && buf[0] === 0x42 && buf[1] === 0x4d
}

/** Decodes a BMP into an RGB sharp pipeline; sharp itself has no BMP loader. */
function bmpToSharp(buf: Buffer): Sharp {
  const bmp = decodeBmp(buf, { toRGBA: true })
  // bmp-ts fills alpha from the file (often 0 for 24-bit files), so keep colour channels only.
  const rgb = Buffer.alloc(bmp.width * bmp.height * 3)
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = bmp.data[i]
    rgb[j + 1] = bmp.data[i + 1]
    rgb[j + 2] = bmp.data[i + 2]
  }
  return sharp(rgb, { raw: { width: bmp.width, height: bmp.height, channels: 3 } })
}

const readListeners = new Set<(path: string) => void>()

/** Observes every image or mask file the engine reads (tests count reads with it); returns the unsubscribe function. */
export function onImageRead(listener: (path: string) => void): () => void {
  readListeners.add(listener)
  return () => readListeners.delete(listener)
}

/** Basic facts about an image file after EXIF orientation. */
export interface ImageInfo {
  width: number
  height: number
  channels: number
  bitDepth: 8 | 16
  format: string
}

/**
 * Reads a file and returns a sharp pipeline that is already auto-oriented, plus its oriented size.
 * Throws ImageReadError for missing, truncated or unsupported files.
 */
export async function openImage(path: string): Promise<{ image: Sharp; info: ImageInfo }> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (err) {
    throw new ImageReadError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(err), (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'invalid-input')
  }
  for (const l of readListeners) l(path)
  if (buf.length === 0) throw new ImageReadError(path, 'the file is empty')
  try {
    if (isBmp(buf)) {
      const image = bmpToSharp(buf)
      const meta = await image.metadata()
      return { image, info: { width: meta.width!, height: meta.height!, channels: 3, bitDepth: 8, format: 'bmp' } }
    }
    const meta = await sharp(buf).metadata()
    if (!meta.width || !meta.height) throw new Error('no image size in the header')
    // EXIF orientations 5-8 swap width and height.
    const swap = (meta.orientation ?? 1) >= 5
    const bitDepth = meta.depth === 'ushort' || meta.depth === 'short' ? 16 : 8
    const image = sharp(buf, { failOn: 'error' }).rotate()
    return {
      image,
      info: {
        width: swap ? meta.height : meta.width,
        height: swap ? meta.width : meta.height,
        channels: meta.channels ?? 3,
        bitDepth,
        format: meta.format ?? 'unknown',
      },
    }
  } catch (err) {
    if (err instanceof ImageReadError) throw err
    throw new ImageReadError(path, (err as Error).message.split('\n')[0])
  }
}

/**
 * Finishes a pipeline as interleaved RGB floats in [0, 1] (gray, RGBA and CMYK are converted; 16-bit
 * inputs keep their precision).
 */
export async function toRgbFloat(
  path: string,
  image: Sharp,
  bitDepth: 8 | 16,
): Promise<{ data: Float32Array; width: number; height: number }> {
  try {
    const wide = bitDepth === 16
    const { data, info } = await image
      .removeAlpha()
      .toColourspace(wide ? 'rgb16' : 'srgb')
      .raw({ depth: wide ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`expected 3 colour channels after conversion, got ${info.channels}`)
    const n = info.width * info.height * 3
    const out = new Float32Array(n)
    if (wide) {
      const src = new Uint16Array(data.buffer, data.byteOffset, n)
      for (let i = 0; i < n; i++) out[i] = src[i] / 65535
    } else {
      for (let i = 0; i < n; i++) out[i] = data[i] / 255
    }
    return { data: out, width: info.width, height: info.height }
  } catch (err) {
    throw new ImageReadError(path, (err as Error).message.split('\n')[0])
  }
}
