import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useEngineStore } from './engine'
import { FakeIpcError, installFakePbas } from '../../../test-support/fake-pbas'

describe('engine store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('loads the engine info, or keeps the error message when the engine does not answer', async () => {
    let failure: string | null = null
    installFakePbas({
      'app:info': () => {
        if (failure) throw new FakeIpcError({ code: 'engine', message: failure })
        return { desktop: false, engineVersion: '0.1.0', backend: 'wasm', gpu: false, device: 'CPU', backendReason: 'test', skippedBackends: [] }
      },
    })
    const store = useEngineStore()
    await store.load()
    expect(store.info).toMatchObject({ backend: 'wasm' })
    failure = 'no backend could start'
    await store.load()
    expect(store.error).toBe('no backend could start')
  })
})
