// `npm test` runs this first: a usable Chromium and pdftotext/pdfinfo (and python3-onnx, a software Vulkan device, PostgreSQL and Mosquitto, optional), installed with apt as root, or one line saying what to install.
import { ensurePythonOnnx, ensureTestTools, systemToolEnv } from './test-tools'
import { ensureSoftwareGpu } from './vulkan-device'
import { ensurePlantServers } from './servers/ensure-servers'

try {
  const env = systemToolEnv((line) => console.log(line))
  ensureTestTools(env)
  // The export test runs /usr/bin/python3; PBAS_PYTHON lets this script's own test use a stand-in.
  ensurePythonOnnx(env, process.env.PBAS_PYTHON)
  // The GPU-path tests run on Mesa's software Vulkan device where there is no GPU.
  ensureSoftwareGpu(env)
  // PostgreSQL and Mosquitto, run by the workspace and station tests on 127.0.0.1.
  ensurePlantServers(env)
} catch (err) {
  console.error((err as Error).message)
  process.exitCode = 1
}
