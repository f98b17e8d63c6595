import { describe, expect, it } from 'vitest'
import { dispatch, HANDLERS } from './handlers'
import { INVOKE_CHANNELS } from '../../shared/ipc/invoke-map'
import { sharedPath } from '../../test-support/shared'

describe('IPC handlers', () => {
  it('cover every declared channel', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('turn malformed arguments into typed errors instead of crashing', async () => {
    expect(await dispatch('dataset:check', null)).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'expected { dir, category? }' } })
    expect(await dispatch('dataset:check', { dir: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await dispatch('nope:nope' as never, {})).toMatchObject({ ok: false, error: { code: 'not-found' } })
    const missing = await dispatch('dataset:check', { dir: '/no/such/folder' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringContaining('/no/such/folder is not a folder') } })
  })

  it('return the data set summary for a real folder', async () => {
    const r = await dispatch('dataset:check', { dir: sharedPath('datasets/mvtec_bottle') })
    expect(r.ok && [r.value.trainGood, r.value.testGood, r.value.testDefect]).toEqual([209, 20, 63])
  })
})
