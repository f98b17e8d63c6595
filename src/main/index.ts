// Electron main process: app lifecycle and IPC registration only; the engine does the work.
import { app, BrowserWindow, ipcMain } from 'electron'
import { createMainWindow } from './windows/main-window'
import { join } from 'node:path'
import { createDispatch, createHandlers } from './ipc/handlers'
import { INVOKE_CHANNELS } from '../shared/ipc/invoke-map'
import { openWorkspace } from './workspace/workspace-db'
import { ProductStore } from './workspace/products'

function registerIpc(): void {
  const db = openWorkspace(join(app.getPath('userData'), 'workspace'))
  app.on('will-quit', () => db.close())
  const dispatch = createDispatch(createHandlers({ products: new ProductStore(db) }))
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, arg) => {
      // Only our own window's top frame may call the engine.
      if (event.senderFrame?.url && !event.senderFrame.url.startsWith('file://') && !process.env.ELECTRON_RENDERER_URL)
        return { ok: false, error: { code: 'invalid-argument', message: 'untrusted sender' } }
      return dispatch(channel, arg)
    })
  }
}

app.whenReady().then(() => {
  registerIpc()
  createMainWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
