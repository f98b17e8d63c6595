// Main-process handlers for the IPC contract; plain functions, so tests and the browser bridge reuse them.
import { initBackend } from '../engine/backend/select-backend'
import { checkDataset } from '../engine/data/check-dataset'
import { ENGINE_VERSION } from '../engine/version'
import type { InvokeArg, InvokeChannel, InvokeReturn, IpcResult } from '../../shared/ipc/invoke-map'

type Handler<C extends InvokeChannel> = (arg: InvokeArg<C>) => Promise<InvokeReturn<C>>

class InvalidArgument extends Error {}

function requireString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidArgument(`${name} must be a non-empty string`)
  return v
}

/** One handler per channel; arguments are validated at run time because the renderer is untrusted. */
export const HANDLERS: { [C in InvokeChannel]: Handler<C> } = {
  'app:info': async () => {
    const b = await initBackend()
    return { engineVersion: ENGINE_VERSION, backend: b.name, gpu: b.gpu, backendReason: b.reason }
  },
  'dataset:check': async (arg) => {
    if (!arg || typeof arg !== 'object') throw new InvalidArgument('expected { dir, category? }')
    const dir = requireString(arg.dir, 'dir')
    const category = arg.category === undefined ? undefined : requireString(arg.category, 'category')
    return checkDataset(dir, { category })
  },
}

/** Runs a handler and wraps its outcome in the IpcResult envelope; never throws. */
export async function dispatch<C extends InvokeChannel>(channel: C, arg: unknown): Promise<IpcResult<InvokeReturn<C>>> {
  const h = HANDLERS[channel] as Handler<C> | undefined
  if (!h) return { ok: false, error: { code: 'not-found', message: `unknown channel ${String(channel)}` } }
  try {
    return { ok: true, value: await h(arg as InvokeArg<C>) }
  } catch (err) {
    const code = err instanceof InvalidArgument ? 'invalid-argument' : 'failed'
    return { ok: false, error: { code, message: (err as Error).message } }
  }
}
