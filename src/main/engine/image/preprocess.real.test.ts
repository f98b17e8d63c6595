// Real-data check (npm run test:real): preprocessing of a real MVTec bottle image against torchvision's Resize + CenterCrop; preprocess.test.ts checks the same on a generated part image.
import { describe, expect, it } from 'vitest'
import { loadImage } from './preprocess'
import { HAS_SHARED, readBackboneFixture, sharedPath } from '../../../test-support/shared'

const MEAN = [0.485, 0.456, 0.406]
const STD = [0.229, 0.224, 0.225]

describe.skipIf(!HAS_SHARED)('preprocessing a real bottle image', () => {
  it('matches torchvision Resize+CenterCrop within 0.02 mean abs difference', async () => {
    const ref = readBackboneFixture('input', 'bottle')
    const img = await loadImage(sharedPath('datasets/mvtec_bottle/test/broken_large/000.png'), { resize: 128, crop: 128, fit: 'crop' })
    let sum = 0
    for (let c = 0; c < 3; c++) for (let i = 0; i < 128 * 128; i++) sum += Math.abs(img.data[i * 3 + c] - (ref.data[c * 128 * 128 + i] * STD[c] + MEAN[c]))
    expect(sum / (3 * 128 * 128)).toBeLessThan(0.02)
  })
})
