// Writes a run's report for one evaluation: HTML (self-contained), CSV of scores and verdicts, and PDF.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempName } from '../engine/util/atomic-write'
import { freshStem, placeNew } from '../engine/util/fresh-file'
import { reviewOverlayPng } from '../engine/review/overlay'
import { readImageSize } from '../engine/image/open-image'
import { inputIgnored } from '../../shared/image/region-grid'
import { computeGeometry } from '../../shared/image/geometry'
import type { ModelMeta } from '../engine/model/model-meta'
import { preprocessOf } from '../engine/pbas/config-helpers'
import { collectReport, type ReportSources } from './report-data'
import { reportHtml } from './report-html'
import { reviewCsv } from './report-csv'
import type { ReportFiles } from '../../shared/ipc/invoke-map'
import { DEFAULT_OVERLAY, levelOf, overlayLevels, type OverlayChoice } from '../../shared/review/overlay'

/** Prints an HTML file to a PDF file (Electron's printToPDF in the app, headless Chromium elsewhere). */
export type PdfPrinter = (htmlPath: string, pdfPath: string) => Promise<void>

/** How many of the highest-scoring images the report shows with heat maps. */
export const TOP_FLAGGED = 12

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'product'
}

/** The input pixels the model's region leaves out for the photo at `path` (null without a region, or when the photo has gone). */
async function ignoredPixels(model: ModelMeta, path: string): Promise<Uint8Array | null> {
  if (!model.region) return null
  const size = await readImageSize(path).catch(() => null)
  if (!size) return null
  return inputIgnored(model.region, size.width, size.height, computeGeometry(size.width, size.height, preprocessOf(model.config)))
}

/** Writes `<outDir>/<product>-<run>-<evaluation>.{html,csv,pdf}` (-2, -3... if taken: nothing is overwritten); a PDF failure leaves HTML and CSV and says why. */
export async function exportReport(src: ReportSources, evaluationId: string, outDir: string, printPdf: PdfPrinter | null, overlay: OverlayChoice = DEFAULT_OVERLAY): Promise<ReportFiles> {
  const data = await collectReport(src, evaluationId)
  // The reviewer's overlay choice, at the evaluation's chosen threshold; the ground-truth outline is always drawn where a mask exists.
  const levels = overlayLevels(overlay, data.threshold, data.review.mapRange)
  const pictures = await Promise.all(
    data.items.slice(0, TOP_FLAGGED).map(async (x) => ({ index: x.index, overlay: `data:image/png;base64,${(await reviewOverlayPng(data.evaluation.dir, x.index, { width: 192, levels, partLevel: levelOf(x.score, data.review.mapRange), truthOutline: true, ignored: await ignoredPixels(data.model, x.path) })).toString('base64')}` })),
  )
  await mkdir(outDir, { recursive: true })
  // An earlier report of the same evaluation (or anyone's file of that name) is kept: this one gets -2, -3...
  const base = join(outDir, freshStem(outDir, `${slug(data.product.name)}-${data.run.id.slice(0, 8)}-${evaluationId.slice(0, 8)}`, ['.html', '.csv', '.pdf']))
  const files: ReportFiles = { html: `${base}.html`, csv: `${base}.csv`, pdf: null }
  const place = async (target: string, text: string) => {
    const tmp = tempName(target)
    await writeFile(tmp, text)
    await placeNew(tmp, target)
  }
  await place(files.html, reportHtml(data, pictures, overlay))
  await place(files.csv, reviewCsv(data.items, data.verdicts, data.threshold))
  if (printPdf) {
    // Print to a temporary name, then place it: a reader never sees a half-written PDF.
    const tmp = `${base}.${process.pid}.tmp.pdf`
    try {
      await printPdf(files.html, tmp)
      await placeNew(tmp, `${base}.pdf`)
      files.pdf = `${base}.pdf`
    } catch (err) {
      files.pdfError = (err as Error).message
    }
  }
  return files
}
