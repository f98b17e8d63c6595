// A heat map to hand on (pbas infer / watch --heatmaps, the demo): the part with its heat map, the flagged-region outline, and a footer with the verdict, the score and the colour scale with the thresholds marked.
import sharp from 'sharp'
import { colourAt } from '../../../shared/colour-maps'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { levelOf, paintOverlay } from '../../../shared/review/overlay'
import type { Prediction } from '../pbas/prediction'
import { toGreyMap } from './map-range'
import { reviewFiles } from './review-file'
import { toBytes } from './review-pictures'

/** One part's pictures as stored for review (8-bit RGB image and grey map of `size` x `size`) and its decision. */
export interface HeatmapCardInput {
  image: Buffer
  grey: Buffer
  /** ground-truth mask (8-bit, 255 = defect), when known */
  mask?: Buffer | null
  size: number
  /** the scores the grey map's 0..255 span */
  range: { lo: number; hi: number }
  band: { review: number; fail: number }
  score: number
  verdict: 'pass' | 'review' | 'fail'
  /** a line naming the part (its file name) */
  title?: string
}

/** Width of the card (the picture is scaled up to it, never down). */
export const CARD_WIDTH = 512
const FOOTER = 100
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const num = (v: number) => v.toPrecision(4)

/** The footer as SVG: verdict and score, then the colour scale (covering the score) with review, fail and this score marked. */
function footerSvg(x: HeatmapCardInput, width: number): string {
  const lo = Math.min(x.range.lo, x.score, x.band.review)
  const hi = Math.max(x.range.hi, x.score, x.band.fail)
  const left = 12, right = width - 12, barY = 44, barH = 12
  const at = (v: number) => left + ((right - left) * (v - lo)) / Math.max(1e-12, hi - lo)
  const a = at(x.range.lo), b = at(x.range.hi)
  const stops = Array.from({ length: 9 }, (_, i) => {
    const c = colourAt('viridis', i / 8)
    return `<stop offset="${((a - left + ((b - a) * i) / 8) / (right - left)).toFixed(4)}" stop-color="rgb(${c.join(',')})"/>`
  }).join('')
  const tone = { pass: '#1b6e3a', review: '#8a5a00', fail: '#a61b1b' }[x.verdict]
  const mark = (v: number, w: number, dash: string) => `<line x1="${at(v).toFixed(1)}" x2="${at(v).toFixed(1)}" y1="${barY - 5}" y2="${barY + barH + 5}" stroke="#111" stroke-width="${w}" ${dash}/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${FOOTER}">
<defs><linearGradient id="g" x1="${left}" x2="${right}" y1="0" y2="0" gradientUnits="userSpaceOnUse">${stops}</linearGradient></defs>
<rect width="${width}" height="${FOOTER}" fill="#ffffff"/>
<text x="${left}" y="24" font-family="DejaVu Sans, sans-serif" font-size="17" font-weight="bold" fill="${tone}">${x.verdict.toUpperCase()}</text>
<text x="${left + 70}" y="24" font-family="DejaVu Sans, sans-serif" font-size="15" fill="#111">score ${num(x.score)}${x.title ? `  ·  ${esc(x.title.length > 40 ? `…${x.title.slice(-39)}` : x.title)}` : ''}</text>
<rect x="${left}" y="${barY}" width="${right - left}" height="${barH}" fill="url(#g)" stroke="#555" stroke-width="1"/>
${mark(x.band.review, 2, 'stroke-dasharray="3,2"')}${mark(x.band.fail, 3, '')}<path d="M ${at(x.score) - 6} ${barY - 9} L ${at(x.score) + 6} ${barY - 9} L ${at(x.score)} ${barY - 1} Z" fill="#111"/>
<text x="${left}" y="${barY + barH + 15}" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#333">${num(lo)}</text>
<text x="${left}" y="${barY + barH + 34}" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#333">▼ this part   ┆ review from ${num(x.band.review)}   ┃ fail at ${num(x.band.fail)} (cyan outline)</text>
<text x="${right}" y="${barY + barH + 15}" font-family="DejaVu Sans, sans-serif" font-size="12" fill="#333" text-anchor="end">${num(hi)}</text>
</svg>`
}

/** The card as PNG: the part (scaled up to CARD_WIDTH) with its heat map, the fail-level outline (and the truth's), and the footer. */
export async function heatmapCardPng(x: HeatmapCardInput): Promise<Buffer> {
  const width = Math.max(CARD_WIDTH, x.size)
  // sharp turns one-channel input into sRGB on resize: take the grey channel back out.
  const up = async (buf: Buffer, channels: 1 | 3, kernel: 'lanczos3' | 'linear') => {
    const s = sharp(buf, { raw: { width: x.size, height: x.size, channels } }).resize(width, width, { kernel })
    return (channels === 1 ? s.extractChannel(0) : s).raw().toBuffer()
  }
  const image = await up(x.image, 3, 'lanczos3')
  const grey = await up(x.grey, 1, 'linear')
  const mask = x.mask ? await up(x.mask, 1, 'linear') : null
  const lineWidth = Math.max(2, Math.round(width / 256))
  paintOverlay(image, 3, width, width, { data: grey, channels: 1 }, mask && { data: mask, channels: 1 }, { colourMap: 'viridis', opacity: 0.45, levels: { heatFrom: null, outlineAt: levelOf(x.band.fail, x.range) }, lineWidth, partLevel: levelOf(x.score, x.range) })
  return sharp({ create: { width, height: width + FOOTER, channels: 3, background: '#ffffff' } })
    .composite([
      { input: await sharp(image, { raw: { width, height: width, channels: 3 } }).png().toBuffer(), top: 0, left: 0 },
      { input: Buffer.from(footerSvg(x, width)), top: width, left: 0 },
    ])
    .png()
    .toBuffer()
}

/** The card of a freshly scored part (pbas infer, pbas watch). */
export function predictionCardPng(p: Prediction, range: { lo: number; hi: number }, band: { review: number; fail: number }, title?: string): Promise<Buffer> {
  return heatmapCardPng({ image: toBytes(p.image.data), grey: toGreyMap(p.map, range), size: p.size, range, band, score: p.score, verdict: p.verdict, title })
}

/** The card of a part in a review folder, from its stored image, map and mask (the demo). */
export async function reviewCardPng(reviewDir: string, index: number, d: Omit<HeatmapCardInput, 'image' | 'grey' | 'mask' | 'size'>): Promise<Buffer> {
  const img = await sharp(join(reviewDir, reviewFiles.image(index))).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const grey = await sharp(join(reviewDir, reviewFiles.map(index))).extractChannel(0).raw().toBuffer()
  const maskFile = join(reviewDir, reviewFiles.mask(index))
  const mask = existsSync(maskFile) ? await sharp(maskFile).extractChannel(0).raw().toBuffer() : null
  return heatmapCardPng({ ...d, image: img.data, grey, mask, size: img.info.width })
}
