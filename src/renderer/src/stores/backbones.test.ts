import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useBackbonesStore } from './backbones'
import { FakeIpcError, installFakePbas } from '../../../test-support/fake-pbas'

describe('backbones store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('lists weights, follows a download job to the end, and reports import errors', async () => {
    let stored = false
    const fake = installFakePbas({
      'backbones:list': () => [{ arch: 'wide_resnet50_2', stored, builtIn: false, url: 'u' }],
      'backbones:fetch': () => ({ jobId: 'j1' }),
      'backbones:import': () => {
        throw new FakeIpcError({ code: 'not-found', message: 'Cannot open /x.pth: file not found; check the path' })
      },
    })
    const store = useBackbonesStore()
    await store.load()
    expect(store.options.map((o) => o.stored)).toEqual([false])
    await store.fetchWeights('wide_resnet50_2')
    fake.emit('jobs:event', { type: 'progress', jobId: 'j1', kind: 'backbone-fetch', progress: { kind: 'download', url: 'u', bytes: 50, totalBytes: 200, etaSeconds: null } })
    expect(store.downloads.wide_resnet50_2).toBe('25 %')
    stored = true
    fake.emit('jobs:event', { type: 'state', jobId: 'j1', kind: 'backbone-fetch', state: 'succeeded', result: { arch: 'wide_resnet50_2', file: 'w.safetensors', sha256: 'x', source: 'u', layers: 3, storedAt: 'now' } })
    await new Promise((r) => setTimeout(r, 0))
    expect(store.options[0].stored).toBe(true)
    expect(store.downloads.wide_resnet50_2).toBeUndefined()
    await store.importWeights('/x.pth')
    expect(store.error).toContain('file not found')
  })
})
