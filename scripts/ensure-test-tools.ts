// `npm test` runs this first: a usable Chromium and pdftotext/pdfinfo (and python3-onnx, optional), installed with apt as root, or one line saying what to install.
import { ensurePythonOnnx, ensureTestTools, systemToolEnv } from './test-tools'

try {
  const env = systemToolEnv((line) => console.log(line))
  ensureTestTools(env)
  // The export test runs /usr/bin/python3; PBAS_PYTHON lets this script's own test use a stand-in.
  ensurePythonOnnx(env, process.env.PBAS_PYTHON)
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
}
