import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useEngineStore } from './engine'

describe('engine store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('loads the engine info, or keeps the error message when the engine does not answer', async () => {
    let answer: unknown = { ok: true, value: { engineVersion: '0.1.0', backend: 'wasm', gpu: false, device: 'CPU', backendReason: 'test', skippedBackends: [] } }
    ;(globalThis as unknown as { window: unknown }).window = { pbas: { invoke: async () => answer, on: () => () => {} }, location: { hash: '' } }
    const store = useEngineStore()
    await store.load()
    expect(store.info).toMatchObject({ backend: 'wasm' })
    answer = { ok: false, error: { code: 'failed', message: 'no backend could start' } }
    await store.load()
    expect(store.error).toBe('no backend could start')
  })
})
