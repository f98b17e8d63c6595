// Opens any supported image file as a sharp pipeline (BMP via bmp-ts), with errors that name the file.
import { extname } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { decode as decodeBmp } from 'bmp-ts'
import { InputError } from '../util/errors'
import { FilePolicyError, NOT_A_FILE, readFileHead, readRegularFile } from '../util/file-policy'

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

const SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x42, 0x4d], // BMP
  [0x49, 0x49, 0x2a, 0x00], [0x4d, 0x4d, 0x00, 0x2a], [0x49, 0x49, 0x2b, 0x00], [0x4d, 0x4d, 0x00, 0x2b], // TIFF, BigTIFF
]

/** True when the file starts like one of the formats the product reads (WebP: RIFF....WEBP). */
function hasImageSignature(head: Buffer): boolean {
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return true
  return SIGNATURES.some((sig) => head.length >= sig.length && sig.every((b, i) => head[i] === b))
}

function isBmp(buf: Buffer): boolean {
  return buf.length > 2 && buf[0] === 0x42 && buf[1] === 0x4d
}

/** Largest image the product decodes (sharp's own default limit), in pixels. */
export const PIXEL_LIMIT = 0x3fff * 0x3fff

/** Checks a BMP header's claims before decoding, so absurd or negative sizes get a clear message, not a buffer error. */
function checkBmpHeader(buf: Buffer): void {
  if (buf.length < 30) throw new Error('the BMP header is truncated')
  const width = buf.readInt32LE(18)
  const height = buf.readInt32LE(22)
  const bits = buf.readUInt16LE(28)
  const offset = buf.readUInt32LE(10)
  if (width <= 0 || height === 0) throw new Error(`the BMP header claims a size of ${width} x ${height} pixels`)
  if (width * Math.abs(height) > PIXEL_LIMIT) throw new Error(`the BMP header claims ${width} x ${Math.abs(height)} pixels, more than the ${PIXEL_LIMIT} the product decodes`)
  if (![1, 4, 8, 16, 24, 32].includes(bits)) throw new Error(`the BMP header claims ${bits} bits per pixel`)
  const rowBytes = Math.ceil((width * bits) / 32) * 4
  // Only uncompressed (0) and bit-field (3) BMPs have a size fixed by their header; RLE ones are shorter.
  const compression = buf.length >= 34 ? buf.readUInt32LE(30) : 0
  if ((compression === 0 || compression === 3) && offset + rowBytes * Math.abs(height) > buf.length) throw new Error(`the BMP header claims ${width} x ${Math.abs(height)} pixels but the file holds only ${buf.length} bytes (truncated)`)
}

/** Decodes a BMP into an RGB sharp pipeline; sharp itself has no BMP loader. */
function bmpToSharp(buf: Buffer): Sharp {
  checkBmpHeader(buf)
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

let serial: Promise<unknown> = Promise.resolve()

/** Runs `fn` when no other call of it runs (one decode at a time). */
function alone<T>(fn: () => Promise<T>): Promise<T> {
  const r = serial.then(fn, fn)
  serial = r.catch(() => {})
  return r
}

/** The format a file's first bytes announce, and the word libvips' loader for it uses in its messages. */
function formatOf(head: Buffer): { name: string; loader: RegExp } | null {
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return { name: 'WebP', loader: /webp/i }
  const i = SIGNATURES.findIndex((sig) => head.length >= sig.length && sig.every((b, k) => head[k] === b))
  return i < 0 ? null : [{ name: 'PNG', loader: /png/i }, { name: 'JPEG', loader: /jpe?g/i }, { name: 'BMP', loader: /bmp/i }][i] ?? { name: 'TIFF', loader: /tiff/i }
}

/**
 * The failed file's own decode error. libvips keeps one error buffer per process, so when several files
 * fail at once a message can belong to another file ("VipsJpeg: premature end" for a truncated PNG). The
 * file is decoded again on its own; a message that still does not name the file's own format is replaced
 * by one that does, so a reason never travels to the wrong file.
 */
async function ownReason(path: string, err: unknown): Promise<string> {
  const first = (err as Error).message.split('\n')[0]
  if (err instanceof ImageReadError) return first
  let format: ReturnType<typeof formatOf> = null
  let message = first
  try {
    await alone(async () => {
      const buf = await readRegularFile(path, 'image')
      format = formatOf(buf)
      if (isBmp(buf)) bmpToSharp(buf)
      else await sharp(buf, { failOn: 'error' }).rotate().raw().toBuffer()
    })
  } catch (again) {
    message = (again as Error).message.split('\n')[0]
  }
  const f = format as ReturnType<typeof formatOf>
  if (!f || f.name === 'BMP' || f.loader.test(message)) return message
  return `the ${f.name} data is damaged or truncated (the decoder stopped before the end of the image)`
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

/** The size after EXIF orientation, from sharp's header metadata: orientations 5-8 swap width and height. */
function orientedSize(meta: { width?: number; height?: number; orientation?: number }): { width: number; height: number } {
  if (!meta.width || !meta.height) throw new Error('no image size in the header')
  const swap = (meta.orientation ?? 1) >= 5
  return { width: swap ? meta.height : meta.width, height: swap ? meta.width : meta.height }
}

/**
 * Reads a file and returns a sharp pipeline that is already auto-oriented, plus its oriented size.
 * Throws ImageReadError for missing, truncated or unsupported files.
 */
export async function openImage(path: string): Promise<{ image: Sharp; info: ImageInfo }> {
  let buf: Buffer
  const unreadable = (err: unknown) => new ImageReadError(path, err instanceof FilePolicyError && /limited to/.test(err.message) ? 'larger than the image size limit' : NOT_A_FILE)
  try {
    // The signature first: a large file that is no image (zeros, a video) is refused after 16 bytes, not read whole.
    const { head, size } = await readFileHead(path, 'image', 16)
    if (size === 0) throw new ImageReadError(path, 'the file is empty')
    if (!hasImageSignature(head)) throw new ImageReadError(path, 'its first bytes are not those of a PNG, JPEG, BMP, TIFF or WebP file')
    buf = await readRegularFile(path, 'image')
  } catch (err) {
    throw err instanceof ImageReadError ? err : unreadable(err)
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
    const bitDepth = meta.depth === 'ushort' || meta.depth === 'short' ? 16 : 8
    const image = sharp(buf, { failOn: 'error' }).rotate()
    return {
      image,
      info: {
        ...orientedSize(meta),
        channels: meta.channels ?? 3,
        bitDepth,
        format: meta.format ?? 'unknown',
      },
    }
  } catch (err) {
    if (err instanceof ImageReadError) throw err
    throw new ImageReadError(path, await ownReason(path, err))
  }
}

/**
 * The oriented size from the file's header alone (no decode, not counted as a read): enough to say before
 * training how a fit treats the photos. Throws ImageReadError where the header cannot be read.
 */
export async function readImageSize(path: string): Promise<{ width: number; height: number }> {
  try {
    const { head } = await readFileHead(path, 'image', 30)
    if (isBmp(head)) return { width: head.readInt32LE(18), height: Math.abs(head.readInt32LE(22)) }
    if (!hasImageSignature(head)) throw new Error('not an image')
    // sharp reads only as much of the file as its header needs.
    return orientedSize(await sharp(path).metadata())
  } catch (err) {
    throw err instanceof ImageReadError ? err : new ImageReadError(path, 'its header could not be read')
  }
}

/**
 * Decodes the whole file (not only its header), so a truncated or corrupt image is caught before training;
 * returns its oriented size. The decode is downscaled, which still reads every byte of the file.
 */
export async function verifyImage(path: string): Promise<ImageInfo> {
  const { image, info } = await openImage(path)
  try {
    await image.resize(256, 256, { fit: 'inside' }).raw().toBuffer()
  } catch (err) {
    throw new ImageReadError(path, await ownReason(path, err))
  }
  return info
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
    throw new ImageReadError(path, await ownReason(path, err))
  }
}
