import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { REPO_ROOT } from '../../../test-support/shared'
import { PARAMS, TRAINABLE_PARAMS } from './network'
import { disposeParams, discriminatorVars, initParams, projectorVars } from './params'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : n.endsWith('.ts') && !n.endsWith('.test.ts') ? [join(dir, n)] : []))
}

beforeAll(async () => {
  await initBackend()
})

describe('the network spec', () => {
  it('is what every runtime uses: no LeakyReLU slope or batch-norm epsilon written anywhere else in the engine', () => {
    const pbas = join(REPO_ROOT, 'src/main/engine')
    const offences: string[] = []
    for (const f of walk(pbas)) {
      const rel = relative(REPO_ROOT, f)
      if (rel.endsWith('pbas/network.ts') || rel.endsWith('backbone/resnet-weights.ts')) continue // the backbone's own batch norm
      const text = readFileSync(f, 'utf8')
      if (/leakyRelu\([^)]*,\s*[0-9.]+\)|LeakyRelu'[^\n]*alpha:\s*\{\s*float:\s*[0-9.]/.test(text)) offences.push(`${rel}: a literal LeakyReLU slope`)
      if (/\b1e-5\b/.test(text)) offences.push(`${rel}: a literal batch-norm epsilon`)
    }
    expect(offences).toEqual([])
  })

  it('initialises every parameter at its declared shape, trainable ones as the optimisers expect', () => {
    const before = tf.memory().numTensors
    const p = initParams(8, 4, 1)
    for (const s of PARAMS) expect(p[s.name].shape, s.name).toEqual(s.shape(8, 4))
    expect([...projectorVars(p), ...discriminatorVars(p)]).toEqual(TRAINABLE_PARAMS.map((k) => p[k]))
    expect(PARAMS.filter((s) => p[s.name].trainable).map((s) => s.name)).toEqual(TRAINABLE_PARAMS.filter((k) => k !== 'bnMean' && k !== 'bnVar'))
    disposeParams(p)
    expect(tf.memory().numTensors).toBe(before)
  })
})
