// A run's report as one self-contained HTML file (inline CSS, SVG charts, data-URL images; prints to A4 pages).
import type { StepStats } from '../../shared/models/progress'
import { describeTail } from '../../shared/calibration/tail-level'
import type { ReportData } from './report-data'
import { histogramChart, lineChart } from './svg-charts'
import { confusionAt, scoreHistogram } from '../../shared/review/threshold-stats'
import { decision } from './report-csv'
import { DEFAULT_OVERLAY, type OverlayChoice } from '../../shared/review/overlay'
import { inspectedShare } from '../../shared/image/region-grid'
import type { InspectionRegion } from '../../shared/image/region'
import { runDefaultName } from '../../shared/pbas/run-name'
import { SERIES_COLOURS } from '../../shared/chart-palette'

const esc = (v: unknown) => String(v ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(2)} %`)
const num = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4))
const rows = (pairs: [string, unknown][]) => pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')

/** Two charts side by side fit an A4 page. */
const SMALL = { width: 340, height: 230 }

/** The training curves in words, one chart per unit, coloured as in the app. */
const LOSSES: [keyof StepStats, string, string][] = [['lossC', 'pull to centre L_c', SERIES_COLOURS[0]], ['lossN', 'good patches L_n', SERIES_COLOURS[1]], ['lossA', 'made-up defects L_a', SERIES_COLOURS[2]]]
const ANSWERS: [keyof StepStats, string, string][] = [['pTrue', 'good called good', SERIES_COLOURS[3]], ['pFake', 'made-up called good', SERIES_COLOURS[4]]]

/** Top flagged images with their heat-map overlays (PNG data URLs), supplied by the caller. */
export interface FlaggedPicture {
  index: number
  overlay: string
}

/** The bound assumes new good parts score like the calibration images; say whether this evaluation's did. */
function driftRow(d: ReportData): [string, unknown][] {
  const x = d.review.drift
  if (!x) return []
  const verdict = x.shifted ? 'they score HIGHER, so the bound above may not hold for parts like these; recalibrate on them' : 'no sign that they score differently'
  return [['This evaluation\'s good parts vs the calibration images', `${x.goodImages} vs ${x.calibrationImages} images: ${pct(x.higherShare)} of pairs higher (Mann-Whitney p = ${x.pValue.toPrecision(2)}); ${verdict}`]]
}

/** What the model's thresholds promise: the calibration set, the bound and the interval (or why there is none). */
function calibrationTable(d: ReportData): string {
  const c = d.review.thresholds.model.calibration ?? d.model.thresholds.calibration
  if (!c) return `<p class="muted">The thresholds were set on training images, so they promise no false-reject rate; retrain with a calibration share, or recalibrate on good parts the model has not seen.</p>`
  const level = (l: typeof c.fail) =>
    `${num(l.value)}: at most ${pct(l.bound)} of new good parts${l.supportable ? '' : ` (the ${pct(l.target)} target needs more calibration images)`}; on the calibration set ${pct(l.observed)} (95 % CI ${pct(l.interval[0])} to ${pct(l.interval[1])})`
  const rev = d.review.thresholds.model.revision ?? d.model.calibrations?.active
  return `<h3>Calibration</h3><table>${rows([
    ['Calibration set', `${c.source}${c.source.startsWith(`${c.images} `) ? '' : ` (${c.images} images)`}${rev ? `, revision ${rev}` : ''}`],
    ['Lowest false-reject rate these can promise', pct(c.floor)],
    ...(c.tail && c.tail.value > c.fail.value
      ? ([['Calibration level (above it: review)', level(c.fail)], ['Fail level', describeTail(c.tail)]] as [string, string][])
      : ([['Fail threshold', level(c.fail)]] as [string, string][])),
    ['Review band from', level(c.review)],
    ...driftRow(d),
  ])}</table>`
}

/** The model's region in words: what share of each photo it inspects and how many patches it keeps. */
function regionText(r: InspectionRegion | undefined, kept: number | undefined, patches: number): string {
  if (!r) return 'the whole photo'
  const share = Math.round(inspectedShare(r, r.imageWidth, r.imageHeight) * 100)
  return `${share} % of each ${r.imageWidth} x ${r.imageHeight} photo (${r.inspect.length} region shape(s), ${r.ignore.length} area(s) ignored; ${kept ?? patches} of ${patches} patches scored)`
}

function modelCard(d: ReportData): string {
  const m = d.model
  const cfg = Object.entries(m.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? 'default'] as [string, unknown])
  return `<section class="page">
  <h1>Inspection report: ${esc(d.product.name)}</h1>
  <p class="muted">Run &ldquo;${esc(d.run.name ?? runDefaultName(d.run.config))}&rdquo; (${esc(d.run.id)}) &middot; generated ${esc(d.generatedAt)} by PBAS Inspect ${esc(d.reportEngineVersion)}</p>
  ${d.run.note ? `<p class="note">${esc(d.run.note)}</p>` : ''}
  <h2>Data set</h2>
  <table>${rows([
    ['Folder', m.dataset.root], ['Category', m.dataset.category ?? '-'], ['Fingerprint (SHA-256 of the good training images)', m.dataset.fingerprint],
    ['Training images', m.dataset.trainImages], ['Held-out good images (never trained on)', m.dataset.images?.heldOut.length ?? m.dataset.validationImages], ['Images added by reviewers (for later runs)', d.trainingAdditions.length],
    ['Evaluated on', `${d.evaluation.source}${d.evaluation.category ? ` (${d.evaluation.category})` : ''} - ${d.items.length} images (${d.review.source.kind === 'test-split' ? 'labelled test split' : 'unlabelled folder'})${d.review.skipped?.length ? `; ${d.review.skipped.length} unreadable image(s) left out: ${d.review.skipped.map((x) => x.path).join(', ')}` : ''}`],
  ])}</table>
  <h2>Model card</h2>
  <table>${rows([
    ['Method', 'PBAS (Chen et al., TCSVT 2025): ABL + AFS + RBO'], ['Backbone', `${m.backbone.id} (${m.backbone.spec})`], ['Backbone weights SHA-256', m.backbone.weightsChecksum],
    ['Feature taps', m.backbone.taps.join(', ')], ['Engine version (training)', m.engineVersion], ['Backend', `${m.backend}; features on ${m.runtime.features}, training on ${m.runtime.training}`],
    ['Training time', `${(m.trainingSeconds / 60).toFixed(1)} min`], ['Model selection', `${m.selection.rule} - epoch ${m.selection.epoch}`],
    ['Default threshold', `${num(m.thresholds.default.value)} from ${m.thresholds.source}`],
    ['Region to inspect', regionText(m.region, m.keptPatches, (m.tiling?.tiles ?? 1) * m.grid * m.grid)],
    ['What the model sees', m.tiling ? `each ${m.tiling.photoWidth} x ${m.tiling.photoHeight} photo as ${m.tiling.tiles} overlapping tiles of ${m.tiling.side} px, each at ${m.config.imageSize} px (score: the highest over tiles; heat maps stitched)` : `each photo fitted to ${m.config.imageSize} x ${m.config.imageSize} px (${m.config.fit})`],
  ])}</table>
  ${calibrationTable(d)}
  <h3>All parameters</h3>
  <table class="params">${rows(cfg)}</table>
</section>`
}

function metricsPage(d: ReportData): string {
  const met = d.review.metrics
  const t = d.threshold
  const c = confusionAt(d.items, t.value, t.review)
  const curves = d.review.curves
  const curve = (keys: typeof LOSSES, scale: number) => keys.map(([k, name, colour]) => ({ name, colour, points: d.epochs.map((e) => [e.epoch, scale * e.means[k]] as [number, number]) }))
  const loss = lineChart(curve(LOSSES, 1), { xLabel: 'epoch', yLabel: 'loss (mean per epoch)', integerX: true, ...SMALL })
  const answers = lineChart(curve(ANSWERS, 100), { xLabel: 'epoch', yLabel: '% of patches called good', integerX: true, y: [0, 100], ...SMALL })
  return `<section class="page">
  <h2>Metrics</h2>
  ${met ? `<table class="metrics"><tr><th>I-AUROC</th><th>I-AP</th><th>P-AUROC</th><th>P-AP</th><th>PRO</th><th>images/s</th></tr>
    <tr><td>${pct(met.image_auroc)}</td><td>${pct(met.image_ap)}</td><td>${pct(met.pixel_auroc)}</td><td>${pct(met.pixel_ap)}</td><td>${pct(met.pixel_pro)}</td><td>${met.images_per_second.toFixed(1)}</td></tr></table>
    <table class="metrics"><tr><th>At the model's threshold: good parts rejected</th><th>defective parts caught</th><th>Recall at 1 % false rejects</th></tr>
    <tr><td>${pct(met.false_reject_rate)}</td><td>${pct(met.defect_recall)}</td><td>${pct(met.tpr_at_1pct_fpr)}</td></tr></table>` : '<p>No labels: metrics need a labelled test split.</p>'}
  <div class="charts">
    ${curves ? `<figure>${lineChart([{ name: 'ROC', colour: SERIES_COLOURS[0], points: curves.roc.map(([x, y]) => [100 * x, 100 * y] as [number, number]) }], { xLabel: 'good parts failed (%)', yLabel: 'defective parts failed (%)', x: [0, 100], y: [0, 100], ...SMALL })}<figcaption>ROC curve (image level): defects caught against false alarms, every threshold</figcaption></figure>
    <figure>${lineChart([{ name: 'PR', colour: SERIES_COLOURS[5], points: curves.pr.map(([x, y]) => [100 * x, 100 * y] as [number, number]) }], { xLabel: 'defective parts failed (%)', yLabel: 'failed parts really defective (%)', x: [0, 100], y: [0, 100], ...SMALL })}<figcaption>Precision-recall curve (image level)</figcaption></figure>` : ''}
    ${d.epochs.length ? `<figure>${loss}<figcaption>Training losses per epoch</figcaption></figure><figure>${answers}<figcaption>The discriminator's answers per epoch</figcaption></figure>` : ''}
  </div>
</section>
<section class="page">
  <h2>Threshold</h2>
  <div class="charts"><figure>${histogramChart(scoreHistogram(d.items), t.value, t.review)}<figcaption>Image scores; solid line: threshold, dashed: start of the review band</figcaption></figure>
  <div>
  <table>${rows([['Mode', t.mode === 'f1-max' ? 'F1-max' : t.mode === 'fpr' ? `false-reject target${t.fprTarget !== undefined ? ` ${pct(t.fprTarget)}` : ''}` : 'manual'], ['Threshold (fail at or above)', num(t.value)], ['Review band from', num(t.review)], ['Flagged', c.flagged], ['In review band', c.inReview]])}</table>
  <table class="confusion"><tr><th></th><th>flagged</th><th>passed</th></tr><tr><th>defective</th><td>${c.tp}</td><td>${c.fn}</td></tr><tr><th>good</th><td>${c.fp}</td><td>${c.tn}</td></tr></table>
  <table>${rows([['Precision', pct(c.precision)], ['Recall', pct(c.recall)], ['False-reject rate on good parts', pct(c.falseRejectRate)]])}</table>
  </div></div>
</section>`
}

function flaggedPage(d: ReportData, pictures: FlaggedPicture[], overlay: OverlayChoice): string {
  const byIndex = new Map(d.items.map((x) => [x.index, x]))
  const verdicts = new Map(d.verdicts.map((v) => [v.imagePath, v]))
  const cards = pictures.map((p) => {
    const x = byIndex.get(p.index)!
    const v = verdicts.get(x.path)
    return `<div class="card"><img src="${p.overlay}" alt="heat map of ${esc(x.path)}"><div><b>${num(x.score)}</b> ${esc(decision(x.score, d.threshold))}${x.label ? ` &middot; ${esc(x.defectType)}` : ''}${v ? ` &middot; reviewer: ${esc(v.verdict)}` : ''}</div><div class="path">${esc(x.path)}</div></div>`
  })
  return `<section class="page"><h2>Top flagged parts</h2><p class="muted">Highest scores first; heat map from ${num(d.review.mapRange.lo)} (dark) to ${num(d.review.mapRange.hi)} (yellow)${overlay.aboveReviewOnly ? `, drawn only at or above the review-band start ${num(d.threshold.review)}` : ''}${overlay.thresholdOutline ? `; cyan outline: the region at or above the threshold ${num(d.threshold.value)}` : ''}; magenta outline: the ground-truth defect, where a mask exists${d.model.region ? '; hatched: areas the model does not inspect (the region to inspect)' : ''}.</p><div class="grid">${cards.join('')}</div></section>`
}

function verdictsPage(d: ReportData): string {
  const scores = new Map(d.items.map((x) => [x.path, x.score]))
  const list = d.verdicts.filter((v) => scores.has(v.imagePath))
  const counts = ['defect', 'good', 'unsure'].map((k) => `${list.filter((v) => v.verdict === k).length} ${k}`).join(', ')
  return `<section class="page"><h2>Reviewer verdicts</h2><p>${list.length} of ${d.items.length} images reviewed: ${counts}.</p>
  <table class="verdicts"><tr><th>Image</th><th>Score</th><th>Verdict</th><th>Reviewer</th><th>When</th></tr>
  ${list.map((v) => `<tr><td class="path">${esc(v.imagePath)}</td><td>${num(scores.get(v.imagePath)!)}</td><td>${esc(v.verdict)}</td><td>${esc(v.reviewer)}</td><td>${esc(v.at)}</td></tr>`).join('')}</table></section>`
}

const CSS = `body{font-family:system-ui,sans-serif;color:#1f2933;margin:0 auto;max-width:60rem;padding:1rem}h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #cbd2d9}
table{border-collapse:collapse;margin:.4rem 0;font-size:.8rem}th,td{border:1px solid #e4e7eb;padding:2px 6px;text-align:left;vertical-align:top}th{white-space:nowrap;font-weight:600}td{word-break:break-all}.params{columns:2}
.muted{color:#616e7c;font-size:.85rem}.note{white-space:pre-wrap;border-left:3px solid #cbd2d9;padding-left:.5rem}.charts{display:flex;flex-wrap:wrap;gap:.5rem}figure{margin:0;break-inside:avoid}h2{break-after:avoid}figcaption{font-size:.75rem;color:#616e7c}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:.5rem}.card{font-size:.7rem;break-inside:avoid}.card img{width:100%}.path{color:#616e7c;word-break:break-all;font-size:.65rem}
.page+.page{break-before:page}@page{size:A4;margin:12mm}`

/** The whole report; `pictures` are the top flagged images' overlays (most suspicious first). */
export function reportHtml(d: ReportData, pictures: FlaggedPicture[], overlay: OverlayChoice = DEFAULT_OVERLAY): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PBAS Inspect report - ${esc(d.product.name)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>${CSS}</style></head><body>${modelCard(d)}${metricsPage(d)}${flaggedPage(d, pictures, overlay)}${verdictsPage(d)}</body></html>`
}
