// Electron main process: app lifecycle and IPC registration only; the engine does the work.
import { app, BrowserWindow, dialog, ipcMain, Notification, shell } from 'electron'
import { createMainWindow } from './windows/main-window'
import { join } from 'node:path'
import { INVOKE_CHANNELS } from '../shared/ipc/invoke-map'
import { createAppContext } from './compose/app-context'
import { workspaceSetting } from './compose/workspace-setting'
import { forwardEvents } from './compose/forward-events'
import { electronPdf } from './windows/print-pdf'
import { onFinishNotices } from './app/finish-notices'

function registerIpc(): void {
  const chooseFolder = async () => {
    const win = BrowserWindow.getFocusedWindow()
    const r = win ? await dialog.showOpenDialog(win, { properties: ['openDirectory'] }) : await dialog.showOpenDialog({ properties: ['openDirectory'] })
    return r.canceled ? null : r.filePaths[0]
  }
  // shell.openPath answers with an error message, or '' when the file opened.
  const openFile = async (path: string) => {
    const err = await shell.openPath(path)
    if (err) throw new Error(`could not open ${path}: ${err}`)
  }
  const setting = workspaceSetting(app.getPath('userData'))
  const ctx = createAppContext(setting.location, { files: setting.files, workerScript: join(__dirname, 'engine-worker.js'), chooseFolder, openFile, printPdf: electronPdf })
  app.on('will-quit', () => void ctx.close())
  // Events go to every open window (progress throttled by the job runner to about 10 per second).
  forwardEvents(ctx, (channel, payload) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(channel, payload)))
  // A run or evaluation ending while the window is not in front gets a desktop notification.
  onFinishNotices(ctx.runService, ctx.runner, (n) => {
    if (Notification.isSupported() && !BrowserWindow.getAllWindows().some((w) => w.isFocused())) new Notification(n).show()
  })
  const dispatch = ctx.dispatch
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
