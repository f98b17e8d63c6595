// Report PDFs in the desktop app: Electron's printToPDF in a hidden, sandboxed window (no Chromium needed).
import { BrowserWindow } from 'electron'
import { writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'

/** Prints a self-contained HTML report to an A4 PDF. */
export async function electronPdf(htmlPath: string, pdfPath: string): Promise<void> {
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } })
  try {
    await win.loadURL(pathToFileURL(htmlPath).href)
    const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: { marginType: 'default' } })
    await writeFile(pdfPath, pdf)
  } finally {
    win.destroy()
  }
}
