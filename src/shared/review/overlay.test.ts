import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../pbas/parameters'
import { FLAGGED_COLOUR, flaggedLevel, levelOf, overlayLevels, paintOverlay, TRUTH_COLOUR } from './overlay'
import { evaluationNotice, runNotice } from '../notices'

describe('review overlay', () => {
  it('tints only from the review-band start and outlines the region at or above the threshold', () => {
    const w = 6
    const img = new Uint8Array(w * w * 3).fill(100)
    // Heat: a 2x2 hot block (level 250) inside a 4x4 warm block (level 150) on a cold part (level 10).
    const heat = new Uint8Array(w * w).fill(10)
    for (let y = 1; y <= 4; y++) for (let x = 1; x <= 4; x++) heat[y * w + x] = 150
    for (let y = 2; y <= 3; y++) for (let x = 2; x <= 3; x++) heat[y * w + x] = 250
    const range = { lo: 0, hi: 1 }
    const levels = overlayLevels({ aboveReviewOnly: true, thresholdOutline: true }, { review: 100 / 255, value: 200 / 255 }, range)
    expect(levels.heatFrom).toBeCloseTo(100)
    expect(levelOf(1, range)).toBe(255)
    paintOverlay(img, 3, w, w, { data: heat, channels: 1 }, null, { colourMap: 'viridis', opacity: 0.5, levels })
    const px = (x: number, y: number) => Array.from(img.slice((y * w + x) * 3, (y * w + x) * 3 + 3))
    expect(px(0, 0)).toEqual([100, 100, 100]) // cold: untinted
    expect(px(1, 1)).not.toEqual([100, 100, 100]) // warm: tinted
    // The hot 2x2 block is all border: every pixel outlined.
    for (const [x, y] of [[2, 2], [3, 2], [2, 3], [3, 3]]) expect(px(x, y)).toEqual(FLAGGED_COLOUR)
    expect(px(1, 2)).not.toEqual(FLAGGED_COLOUR)
    // The ground-truth outline goes on top.
    const mask = new Uint8Array(w * w)
    mask[2 * w + 2] = 255
    paintOverlay(img, 3, w, w, { data: heat, channels: 1 }, { data: mask, channels: 1 }, { colourMap: 'viridis', opacity: 0, levels: { heatFrom: null, outlineAt: null } })
    expect(px(2, 2)).toEqual(TRUTH_COLOUR)
  })

  it('outlines from the unsmoothed map where the coloured one was smoothed below the threshold level', () => {
    // A part that fails at the threshold of the map range's top (level 255): resampling smoothed its one hot pixel
    // to 230, so the outline must come from the nearest-neighbour map, or a failed part shows no flagged region.
    const w = 4
    const smooth = new Uint8Array(w * w).fill(10)
    const nearest = new Uint8Array(w * w).fill(10)
    smooth[5] = 230
    nearest[5] = 255
    const levels = { heatFrom: null, outlineAt: 255 }
    const plain = new Uint8Array(w * w * 3).fill(100)
    paintOverlay(plain, 3, w, w, { data: smooth, channels: 1 }, null, { colourMap: 'viridis', opacity: 0, levels })
    expect(plain.every((v) => v === 100)).toBe(true)
    const img = new Uint8Array(w * w * 3).fill(100)
    paintOverlay(img, 3, w, w, { data: smooth, channels: 1 }, null, { colourMap: 'viridis', opacity: 0, levels, outlineHeat: { data: nearest, channels: 1 } })
    expect(Array.from(img.slice(15, 18))).toEqual(FLAGGED_COLOUR)
  })

  it('outlines a failed part round its hottest spot when its smoothed map stays below the threshold, a passing part never', () => {
    const w = 4
    const heat = new Uint8Array(w * w).fill(10)
    heat[5] = 200 // the map's peak: smoothing kept it under the threshold level (255)
    heat[6] = 190 // within 5 % of the range of the peak: part of the hottest spot
    heat[9] = 180 // not
    const levels = { heatFrom: null, outlineAt: 255 }
    expect(flaggedLevel(255, { data: heat, channels: 1 }, 300)).toBeCloseTo(200 - 12.75)
    expect(flaggedLevel(255, { data: heat, channels: 1 }, 240)).toBe(255)
    const failed = new Uint8Array(w * w * 3).fill(100)
    paintOverlay(failed, 3, w, w, { data: heat, channels: 1 }, null, { colourMap: 'viridis', opacity: 0, levels, partLevel: 300 })
    expect(Array.from(failed.slice(15, 18))).toEqual(FLAGGED_COLOUR)
    expect(Array.from(failed.slice(18, 21))).toEqual(FLAGGED_COLOUR)
    expect(Array.from(failed.slice(27, 30))).toEqual([100, 100, 100])
    expect(Array.from(failed.slice(0, 3))).toEqual([100, 100, 100])
    const passed = new Uint8Array(w * w * 3).fill(100)
    paintOverlay(passed, 3, w, w, { data: heat, channels: 1 }, null, { colourMap: 'viridis', opacity: 0, levels, partLevel: 240 })
    expect(passed.every((v) => v === 100)).toBe(true)
  })

  it('words the notifications of ended runs and evaluations', () => {
    const run = { id: 'r', productId: 'p', datasetId: 'd', config: DEFAULT_CONFIG, modelDir: '/m', createdAt: 'x', name: 'Quick - ResNet18 - 256 px - 16 epochs', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:21:00Z', metrics: { image_auroc: 0.996 } }
    expect(runNotice({ ...run, state: 'running' })).toBeNull()
    expect(runNotice({ ...run, state: 'succeeded' })).toEqual({ title: 'Training finished', body: 'Quick - ResNet18 - 256 px - 16 epochs finished after 21 min; I-AUROC 99.6 % on the test split. Open it to review.' })
    expect(runNotice({ ...run, state: 'failed', error: 'out of memory' })?.body).toContain('failed: out of memory')
    expect(evaluationNotice('succeeded', 'good', undefined)?.title).toBe('Evaluation finished')
    expect(evaluationNotice('cancelled', 'good')).toBeNull()
  })
})
