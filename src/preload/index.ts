// Preload: exposes exactly the IPC contract from src/shared on window.pbas, nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { INVOKE_CHANNELS, type PbasApi } from '../shared/ipc/invoke-map'
import { EVENT_CHANNELS, type EventMap } from '../shared/ipc/event-map'

const api: PbasApi = {
  invoke(channel, arg) {
    if (!INVOKE_CHANNELS.includes(channel)) return Promise.resolve({ ok: false, error: { code: 'not-found', message: `unknown channel ${channel}` } })
    return ipcRenderer.invoke(channel, arg)
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  on(channel, listener) {
    if (!EVENT_CHANNELS.includes(channel)) throw new Error(`unknown event channel ${channel}`)
    // Never hand the IpcRendererEvent (and with it ipcRenderer) to the page. The main process sends this channel's payload.
    const wrapped = (_e: unknown, payload: EventMap[typeof channel]) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => void ipcRenderer.removeListener(channel, wrapped)
  },
}

contextBridge.exposeInMainWorld('pbas', api)
