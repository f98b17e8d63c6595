// The renderer's only door to the main process: the preload API in Electron, the HTTP bridge in a browser.
import type { InvokeArg, InvokeChannel, InvokeReturn, IpcResult, PbasApi } from '../../../shared/ipc/invoke-map'
import type { EventChannel, EventMap } from '../../../shared/ipc/event-map'

declare global {
  interface Window {
    pbas?: PbasApi
  }
}

/**
 * Browser mode: `pbas serve` prints a URL with #token=...; the token moves to session storage and leaves the
 * address bar (so a copied link never carries it), keeping any route after it. Call before the router starts.
 */
export function takeTokenFromUrl(): void {
  const m = /(?:^#|[&?])token=([0-9a-zA-Z-]+)/.exec(window.location.hash)
  if (!m) return
  sessionStorage.setItem('pbas-token', m[1])
  const rest = window.location.hash.replace(/[&?]?token=[0-9a-zA-Z-]+/, '').replace(/^#$/, '')
  history.replaceState(null, '', `${window.location.pathname}${rest.startsWith('#/') ? rest : '#/'}`)
}

function bridgeTransport(): PbasApi | null {
  takeTokenFromUrl()
  const token = sessionStorage.getItem('pbas-token')
  if (!token) return null
  return {
    async invoke(channel, arg) {
      const res = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pbas-token': token },
        body: JSON.stringify({ arg }),
      })
      if (!res.ok) return { ok: false, error: { code: 'failed', message: `the engine bridge answered ${res.status}; restart \`pbas serve\` and open the new address` } }
      return (await res.json()) as IpcResult<never>
    },
    on(channel, listener) {
      // One WebSocket per subscription keeps this simple; the app has few subscribers.
      const ws = new WebSocket(`ws://${window.location.host}/api/events?token=${encodeURIComponent(token)}`)
      ws.onmessage = (m) => {
        const { channel: c, payload } = JSON.parse(String(m.data)) as { channel: string; payload: never }
        if (c === channel) listener(payload)
      }
      return () => ws.close()
    },
  }
}

let transport: PbasApi | null | undefined

function connect(): PbasApi {
  transport ??= window.pbas ?? bridgeTransport()
  if (!transport) throw new Error('The engine is not connected: open PBAS Inspect as a desktop app (npm start), or run `pbas serve` and open the address it prints. A link copied from the app opens here once the token from that address is added to its end (&token=…).')
  return transport
}

/** Subscribes to engine events (run progress and state); returns the unsubscribe function. */
export function onEvent<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void {
  return connect().on(channel, listener)
}

/** Calls a main-process channel and unwraps its result; throws an Error with the handler's message. */
export async function invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeReturn<C>> {
  const r = await connect().invoke(channel, arg)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Path of a dropped file or folder; null in browser mode, where pages cannot see local paths. */
export function pathForDroppedFile(file: File): string | null {
  return window.pbas?.pathForFile?.(file) ?? null
}
