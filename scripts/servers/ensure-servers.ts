// The plant servers the workspace and station tests run against (PostgreSQL, Mosquitto): installed with apt as root when missing.
import { apt, type ToolEnv } from '../test-tools'
import { onPath } from '../../src/main/report/pdf-chromium'
import { postgresBin } from './postgres-server'
import { mosquittoBin } from './mosquitto-server'

/**
 * Makes sure Debian's postgresql and mosquitto are there. Optional outside CI: without them the PostgreSQL and
 * broker tests skip with a printed reason (PBAS_REQUIRE_SERVER_TESTS=1, as in CI, makes that a failure).
 */
export function ensurePlantServers(t: ToolEnv): boolean {
  const missing = () => [postgresBin(t.env) ? '' : 'postgresql', mosquittoBin() ? '' : 'mosquitto'].filter(Boolean)
  const want = missing()
  if (!want.length) return true
  if (t.isRoot && onPath('apt-get', t.env)) {
    const install = () => apt(t, ['install', '-y', '-qq', '--no-install-recommends', ...want]) && !missing().length
    if (install() || (apt(t, ['update', '-qq']) && install())) return true
  }
  t.log(`test tools: ${missing().join(' and ')} missing, so the PostgreSQL workspace and MQTT station tests skip; \`sudo apt-get install -y ${missing().join(' ')}\` adds them`)
  return false
}
