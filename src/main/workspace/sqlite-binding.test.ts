import { describe, expect, it } from 'vitest'
import { sqliteNativeBinding } from './sqlite-binding'

describe('the better-sqlite3 binary to load', () => {
  it("is better-sqlite3's own under Node; under Electron the install step's build, or a message saying how to get it", () => {
    expect(sqliteNativeBinding()).toBeUndefined()
    const electron = { ...process.versions, electron: '40.9.3', modules: '999' }
    expect(() => sqliteNativeBinding(electron)).toThrow(/better-sqlite3 has no build for this Electron \(40\.9\.3, Node ABI 999\) at .*build\/electron-v999\/better_sqlite3\.node\. Run `npm run rebuild:electron`.*`npm run serve`/)
  })
})
