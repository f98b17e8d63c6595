// Preload: exposes exactly the IPC contract from src/shared on window.pbas, nothing else.
import { contextBridge, ipcRenderer } from 'electron'
import { INVOKE_CHANNELS, type PbasApi } from '../shared/ipc/invoke-map'

const api: PbasApi = {
  invoke(channel, arg) {
    if (!INVOKE_CHANNELS.includes(channel)) return Promise.resolve({ ok: false, error: { code: 'not-found', message: `unknown channel ${channel}` } })
    return ipcRenderer.invoke(channel, arg)
  },
}

contextBridge.exposeInMainWorld('pbas', api)
