// The renderer's only door to the main process: the preload API (Electron) or nothing yet (browser).
import type { InvokeArg, InvokeChannel, InvokeReturn, PbasApi } from '../../../shared/ipc/invoke-map'

declare global {
  interface Window {
    pbas?: PbasApi
  }
}

/** Calls a main-process channel and unwraps its result; throws an Error with the handler's message. */
export async function invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeReturn<C>> {
  if (!window.pbas) throw new Error('The engine is not connected: open PBAS Inspect as a desktop app (npm start) to use it.')
  const r = await window.pbas.invoke(channel, arg)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
