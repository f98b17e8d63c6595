// A throw-away Mosquitto broker for tests and benchmarks: Debian's mosquitto on 127.0.0.1, stoppable and restartable on the same port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port'

/** A broker: `stop()` shuts it down (saving its sessions, as a restarted plant broker does), `start()` brings it back on the same port. */
export interface MosquittoServer {
  url: string
  port: number
  start(): Promise<void>
  stop(): Promise<void>
  dispose(): Promise<void>
}

/** mosquitto's path, or null. */
export function mosquittoBin(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']) if (existsSync(p)) return p
  const r = spawnSync('which', ['mosquitto'], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : null
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })

/** Starts a broker (anonymous allowed; persistent sessions survive a restart, as on a plant's broker), or says why it cannot. */
export async function startMosquitto(): Promise<MosquittoServer | string> {
  const bin = mosquittoBin()
  if (!bin) return 'Mosquitto is not installed (Debian: `apt-get install mosquitto`; `npm test` installs it as root)'
  const dir = mkdtempSync(join(tmpdir(), 'pbas-mqtt-'))
  // Started as root, mosquitto drops to its own user, which must write its sessions here.
  chmodSync(dir, 0o777)
  const port = await freePort()
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\nmax_queued_messages 100000\n`)
  let child: ChildProcess | null = null
  const server: MosquittoServer = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(bin, ['-c', conf], { stdio: 'ignore' })
      for (let i = 0; i < 100; i++) {
        if (await listening(port)) return
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`mosquitto did not listen on ${port}`)
    },
    async stop() {
      const c = child
      child = null
      if (!c || c.exitCode !== null) return
      await new Promise<void>((r) => {
        c.once('exit', () => r())
        c.kill('SIGTERM')
      })
    },
    async dispose() {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    await server.start()
  } catch (err) {
    await server.dispose()
    return (err as Error).message
  }
  return server
}
