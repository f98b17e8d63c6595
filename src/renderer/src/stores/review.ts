// Pinia store for reviewing a run: its evaluations, the worst-first image list, filters, verdicts and the threshold.
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { invoke, onEvent } from '../api'
import { describeError, guarded } from './guarded'
import type { ReviewData } from '../../../shared/ipc/invoke-map'
import type { ChosenThreshold, EvaluationRecord, ReviewImage, Verdict, VerdictValue } from '../../../shared/models/review'
import type { RunRecord } from '../../../shared/models/workspace'
import { chosenOrModelThreshold, confusionAt, decisionAt, falseRejectThreshold } from '../../../shared/review/threshold-stats'
import { overlayLevels, type OverlayLevels } from '../../../shared/review/overlay'
import { evaluationNotice } from '../../../shared/notices'
import { notifyInBrowser } from '../lib/notify'
import { usePreferencesStore } from './preferences'

/** Grid filters; `verdict: 'none'` means not reviewed yet. */
export interface ReviewFilters {
  verdict: 'all' | 'none' | VerdictValue
  defectType: string
  minScore: number | null
  maxScore: number | null
}

/** Progress of a running evaluation job. */
export interface EvaluationProgress {
  jobId: string
  evaluationId: string
  /** the folder evaluated, for the notification when it ends */
  source: string
  stage: string
  done: number
  total: number
  etaSeconds: number | null
}

/** Grid tiles per page: enough to scan, few enough that folders of thousands of images stay quick. */
const PAGE = 120

export const useReviewStore = defineStore('review', () => {
  const run = ref<RunRecord | null>(null)
  const evaluations = ref<EvaluationRecord[]>([])
  const evaluationId = ref<string | null>(null)
  const data = ref<ReviewData | null>(null)
  const verdicts = ref<Record<string, Verdict>>({})
  const filters = ref<ReviewFilters>({ verdict: 'all', defectType: 'all', minScore: null, maxScore: null })
  /** index (ReviewItem.index) of the image open in the viewer */
  const current = ref<number | null>(null)
  const pictures = ref<Record<number, ReviewImage>>({})
  /** grid thumbnails by image index, fetched for the tiles on show */
  const thumbs = ref<Record<number, string>>({})
  /** how many of the filtered images the grid shows (it grows by a page on request) */
  const shown = ref(PAGE)
  const threshold = ref<ChosenThreshold | null>(null)
  const progress = ref<EvaluationProgress | null>(null)
  const added = ref<number | null>(null)
  const error = ref<string | null>(null)
  const guard = guarded(error)
  let offJobs: (() => void) | null = null
  let saveTimer: ReturnType<typeof setTimeout> | null = null

  const defectTypes = computed(() => [...new Set((data.value?.items ?? []).map((x) => x.defectType).filter((t): t is string => !!t))].sort())
  /** the grid's images: worst first (as stored), filtered */
  const visible = computed(() => {
    const f = filters.value
    return (data.value?.items ?? []).filter((x) => {
      const v = verdicts.value[x.path]?.verdict
      if (f.verdict === 'none' ? !!v : f.verdict !== 'all' && v !== f.verdict) return false
      if (f.defectType !== 'all' && x.defectType !== f.defectType) return false
      if (f.minScore !== null && x.score < f.minScore) return false
      if (f.maxScore !== null && x.score > f.maxScore) return false
      return true
    })
  })
  const shownItems = computed(() => visible.value.slice(0, shown.value))
  /** The reviewer's overlay choice at the working threshold, as heat-map levels (the grid's thumbnails follow it). */
  const overlayLevelsNow = computed<OverlayLevels | null>(() => {
    const t = threshold.value
    const d = data.value
    const o = usePreferencesStore().overlay
    return t && d && (o.aboveReviewOnly || o.thresholdOutline) ? overlayLevels(o, t, d.mapRange) : null
  })

  async function fetchThumbs(items: { index: number }[]): Promise<void> {
    const id = evaluationId.value
    const overlay = overlayLevelsNow.value ?? undefined
    const missing = items.map((x) => x.index).filter((i) => !(i in thumbs.value))
    if (!id || !missing.length) return
    for (let k = 0; k < missing.length; k += 500) {
      const got = await guard(() => invoke('evaluations:thumbs', { evaluationId: id, indices: missing.slice(k, k + 500), overlay }))
      if (got && id === evaluationId.value && overlay === (overlayLevelsNow.value ?? undefined)) thumbs.value = { ...thumbs.value, ...got }
    }
  }
  watch(shownItems, (items) => fetchThumbs(items))
  let thumbTimer: ReturnType<typeof setTimeout> | null = null
  // Dragging the threshold changes the levels many times a second: redraw the thumbnails once it settles.
  watch(overlayLevelsNow, () => {
    if (thumbTimer) clearTimeout(thumbTimer)
    thumbTimer = setTimeout(() => {
      thumbs.value = {}
      void fetchThumbs(shownItems.value)
    }, 400)
  }, { deep: true })

  /** pass / review / fail of a score under the working threshold ('' before an evaluation is open) */
  function decisionOf(score: number): '' | 'pass' | 'review' | 'fail' {
    const t = threshold.value
    return t ? decisionAt(score, t.value, t.review) : ''
  }
  const currentItem = computed(() => data.value?.items.find((x) => x.index === current.value) ?? null)
  const confusion = computed(() => (data.value && threshold.value ? confusionAt(data.value.items, threshold.value.value, threshold.value.review) : null))
  /**
   * Only images from folders of new parts may join the training set: a labelled test split's images would leak
   * into training and inflate every later metric.
   */
  const canAddToTraining = computed(() => data.value?.source.kind === 'folder')
  /** reviewed-good images of this evaluation (candidates for the product's training set) */
  const confirmedGood = computed(() => (data.value?.items ?? []).filter((x) => verdicts.value[x.path]?.verdict === 'good').map((x) => x.path))

  function onJob(e: import('../../../shared/models/job').JobEvent): void {
    if (!progress.value || e.jobId !== progress.value.jobId) return
    if (e.kind !== 'review') return
    if (e.type === 'progress') {
      const p = e.progress
      progress.value = { ...progress.value, stage: p.stage, done: p.done, total: p.total, etaSeconds: p.etaSeconds }
      return
    }
    if (e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled') {
      // In the desktop app the main process notifies; in a browser, this page does (when allowed).
      if (!window.pbas) notifyInBrowser(evaluationNotice(e.state, progress.value.source, e.state === 'failed' ? e.error : undefined), usePreferencesStore().notify)
      progress.value = null
      if (e.state === 'failed') error.value = describeError(e.error)
      void refresh(e.state === 'succeeded')
    }
  }

  async function refresh(selectNewest = false): Promise<void> {
    if (!run.value) return
    const runId = run.value.id
    const list = await guard(() => invoke('evaluations:list', { runId }))
    if (!list) return
    evaluations.value = list
    const done = list.filter((e) => e.state === 'succeeded')
    if (selectNewest && done.length) await select(done[0].id)
  }

  /** Opens a run for review: its evaluations (the test split first), verdicts, and the first evaluation. */
  async function open(r: RunRecord): Promise<void> {
    run.value = r
    data.value = null
    evaluationId.value = null
    current.value = null
    added.value = null
    offJobs ??= onEvent('jobs:event', onJob)
    await refresh()
    const list = (await guard(() => invoke('verdicts:list', { runId: r.id }))) ?? []
    verdicts.value = Object.fromEntries(list.map((v) => [v.imagePath, v]))
    const done = evaluations.value.filter((e) => e.state === 'succeeded')
    const first = done.find((e) => e.dir.endsWith('test-split')) ?? done[0]
    if (first) await select(first.id)
  }

  function close(): void {
    run.value = null
    data.value = null
  }

  async function select(id: string): Promise<void> {
    evaluationId.value = id
    // Never the last evaluation's images under this one's id (a station's queue may have no review.json yet:
    // its first queued part brings it, through reloadItems).
    data.value = null
    pictures.value = {}
    thumbs.value = {}
    shown.value = PAGE
    const d = await guard(() => invoke('evaluations:review', { evaluationId: id }))
    if (!d) return
    data.value = d
    threshold.value = chosenOrModelThreshold(evaluations.value.find((e) => e.id === id)?.threshold, d.thresholds.model)
    current.value = d.items[0]?.index ?? null
  }

  /** Re-reads the open evaluation's images without resetting the viewer: a station's review queue grows while it is open. */
  async function reloadItems(): Promise<void> {
    const id = evaluationId.value
    if (!id) return
    const d = await guard(() => invoke('evaluations:review', { evaluationId: id }))
    if (!d || id !== evaluationId.value) return
    data.value = d
    if (!d.items.some((x) => x.index === current.value)) current.value = d.items[0]?.index ?? null
  }

  async function loadPictures(index: number): Promise<ReviewImage | undefined> {
    if (pictures.value[index]) return pictures.value[index]
    const id = evaluationId.value
    if (!id) return undefined
    const p = await guard(() => invoke('evaluations:image', { evaluationId: id, index }))
    if (p) pictures.value[index] = p
    return p
  }

  /** Moves the viewer through the filtered grid: +1 next (j), -1 previous (k). */
  function step(delta: number): void {
    const list = visible.value
    if (!list.length) return
    const at = list.findIndex((x) => x.index === current.value)
    const next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + delta))
    if (next >= shown.value) shown.value += PAGE
    current.value = list[next].index
  }

  async function setVerdict(verdict: VerdictValue | null, path = currentItem.value?.path): Promise<void> {
    const runId = run.value?.id
    if (!runId || !path) return
    const v = await guard(() => invoke('verdicts:set', { runId, imagePath: path, verdict }))
    if (v === undefined) return
    if (v) verdicts.value = { ...verdicts.value, [path]: v }
    else {
      const { [path]: _gone, ...rest } = verdicts.value
      verdicts.value = rest
    }
  }

  /** Changes the working threshold; saved to the workspace shortly after the last change (dragging sends many). */
  function setThreshold(t: ChosenThreshold): void {
    const review = Math.min(t.review, t.value)
    threshold.value = { ...t, review }
    if (saveTimer) clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void saveThreshold(), 400)
  }

  async function saveThreshold(): Promise<void> {
    const id = evaluationId.value
    const t = threshold.value
    if (!id || !t) return
    const rec = await guard(() => invoke('evaluations:set-threshold', { evaluationId: id, threshold: t }))
    if (rec) evaluations.value = evaluations.value.map((e) => (e.id === rec.id ? rec : e))
  }

  /** Applies a mode the engine offers: F1-max (labelled), a false-reject target on good parts, or the model's own. */
  function applyMode(mode: ChosenThreshold['mode'], fprTarget = 0.01): void {
    const d = data.value
    const t = threshold.value
    if (!d || !t) return
    const width = t.value - t.review
    if (mode === 'f1-max' && d.thresholds.f1) setThreshold({ mode, value: d.thresholds.f1.value, review: d.thresholds.f1.value - width })
    else if (mode === 'fpr') {
      const good = d.items.filter((x) => x.label === 'good').map((x) => x.score)
      // Without labelled good images, the model's own threshold (held-out good training images) stands.
      const value = good.length ? falseRejectThreshold(good, fprTarget).value : d.thresholds.model.band.fail
      setThreshold({ mode, value, review: value - width, fprTarget })
    } else setThreshold({ ...t, mode: 'manual' })
  }

  async function startEvaluation(dir?: string): Promise<void> {
    const runId = run.value?.id
    if (!runId) return
    const r = await guard(() => invoke('evaluations:start', { runId, dir: dir || undefined }))
    if (!r) return
    progress.value = { jobId: r.jobId, evaluationId: r.evaluation.id, source: r.evaluation.source, stage: 'queued', done: 0, total: 0, etaSeconds: null }
    evaluations.value = [r.evaluation, ...evaluations.value]
  }

  async function cancelEvaluation(): Promise<void> {
    const p = progress.value
    if (p) await guard(() => invoke('evaluations:cancel', { evaluationId: p.evaluationId }))
  }

  async function addConfirmedGood(): Promise<void> {
    const productId = run.value?.productId
    if (!productId || !confirmedGood.value.length || !canAddToTraining.value) return
    const paths = [...confirmedGood.value]
    const r = await guard(() => invoke('training:add-good', { productId, paths }))
    if (!r) return
    added.value = r.total
    if (r.refused.length) error.value = `${r.refused.length} image(s) not added: ${r.refused.slice(0, 3).map((x) => `${x.path} (${x.reason})`).join('; ')}`
  }

  function showMore(): void {
    shown.value += PAGE
  }

  return {
    run, evaluations, thumbs, shown, shownItems, showMore, evaluationId, data, verdicts, filters, current, currentItem, pictures, threshold, progress, added, error,
    defectTypes, visible, confusion, confirmedGood, canAddToTraining,
    overlayLevelsNow, decisionOf, open, close, select, refresh, reloadItems, loadPictures, step, setVerdict, setThreshold, saveThreshold, applyMode, startEvaluation, cancelEvaluation, addConfirmedGood,
  }
})
