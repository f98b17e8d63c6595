// `npm test` runs this first: a usable Chromium and pdftotext/pdfinfo, installed with apt as root, or one line saying what to install.
import { ensureTestTools, systemToolEnv } from './test-tools'

try {
  ensureTestTools(systemToolEnv((line) => console.log(line)))
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
}
