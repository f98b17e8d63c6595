import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useBackbonesStore } from './backbones'

describe('backbones store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('lists weights, follows a download job to the end, and reports import errors', async () => {
    let stored = false
    let listener: ((e: unknown) => void) | null = null
    const invoke = async (channel: string) => {
      if (channel === 'backbones:list') return { ok: true, value: [{ arch: 'wide_resnet50_2', stored, builtIn: false, url: 'u' }] }
      if (channel === 'backbones:fetch') return { ok: true, value: { jobId: 'j1' } }
      return { ok: false, error: { code: 'not-found', message: 'Cannot open /x.pth: file not found; check the path' } }
    }
    ;(globalThis as unknown as { window: unknown }).window = { pbas: { invoke, on: (_c: string, l: (e: unknown) => void) => ((listener = l), () => {}) }, location: { hash: '' } }
    const store = useBackbonesStore()
    await store.load()
    expect(store.options.map((o) => o.stored)).toEqual([false])
    await store.fetchWeights('wide_resnet50_2')
    listener!({ type: 'progress', jobId: 'j1', kind: 'backbone-fetch', progress: { kind: 'download', url: 'u', bytes: 50, totalBytes: 200, etaSeconds: null } })
    expect(store.downloads.wide_resnet50_2).toBe('25 %')
    stored = true
    listener!({ type: 'state', jobId: 'j1', kind: 'backbone-fetch', state: 'succeeded', result: {} })
    await new Promise((r) => setTimeout(r, 0))
    expect(store.options[0].stored).toBe(true)
    expect(store.downloads.wide_resnet50_2).toBeUndefined()
    await store.importWeights('/x.pth')
    expect(store.error).toContain('file not found')
  })
})
