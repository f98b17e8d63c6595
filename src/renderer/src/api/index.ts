// The renderer's only door to the main process: the preload API in Electron, the HTTP bridge in a browser.
import type { InvokeArg, InvokeChannel, InvokeReturn, IpcResult, PbasApi } from '../../../shared/ipc/invoke-map'
import { isEventChannel, type EventChannel, type EventMap } from '../../../shared/ipc/event-map'
import type { JobError } from '../../../shared/models/job'

declare global {
  interface Window {
    pbas?: PbasApi
  }
}

/** A failed call, with the handler's error code so the app can word it. */
export class ApiError extends Error {
  constructor(readonly error: JobError) {
    super(error.message)
    this.name = 'ApiError'
  }
}

/** Browser mode: `pbas serve` printed a URL with #token=...; keep it in memory and drop it from the address bar. */
function bridgeTransport(): PbasApi | null {
  const m = /(?:^#|&)token=([0-9a-zA-Z-]+)/.exec(window.location.hash)
  const token = m?.[1] ?? sessionStorage.getItem('pbas-token')
  if (!token) return null
  sessionStorage.setItem('pbas-token', token)
  if (m) history.replaceState(null, '', window.location.pathname)
  return {
    async invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<IpcResult<InvokeReturn<C>>> {
      const res = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pbas-token': token },
        body: JSON.stringify({ arg }),
      })
      if (!res.ok) return { ok: false, error: { code: 'engine', message: `the engine bridge answered ${res.status}; restart \`pbas serve\` and open the new address` } }
      // The main process answers with the contract's envelope (it is the trusted side of the bridge).
      const body: IpcResult<InvokeReturn<C>> = await res.json()
      return body
    },
    on(channel, listener) {
      // One WebSocket per subscription keeps this simple; the app has few subscribers.
      const ws = new WebSocket(`ws://${window.location.host}/api/events?token=${encodeURIComponent(token)}`)
      ws.onmessage = (m) => {
        const message: { channel: string; payload: EventMap[typeof channel] } = JSON.parse(String(m.data))
        if (isEventChannel(message.channel) && message.channel === channel) listener(message.payload)
      }
      return () => ws.close()
    },
  }
}

let transport: PbasApi | null | undefined

function connect(): PbasApi {
  transport ??= window.pbas ?? bridgeTransport()
  if (!transport) throw new Error('The engine is not connected: open PBAS Inspect as a desktop app (npm start), or run `pbas serve` and open the address it prints.')
  return transport
}

/** Subscribes to engine events (run progress and state, job events); returns the unsubscribe function. */
export function onEvent<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
  return connect().on(channel, listener)
}

/** Calls a main-process channel and unwraps its result; throws an ApiError carrying the handler's error code. */
export async function invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeReturn<C>> {
  const r = await connect().invoke(channel, arg)
  if (!r.ok) throw new ApiError(r.error)
  return r.value
}

/** Path of a dropped file or folder; null in browser mode, where pages cannot see local paths. */
export function pathForDroppedFile(file: File): string | null {
  return window.pbas?.pathForFile?.(file) ?? null
}
