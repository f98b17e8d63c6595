// Test helper: a stand-in for window.pbas typed against the IPC contract, so store tests fake the main process as it is declared.
import { vi } from 'vitest'
import type { InvokeArg, InvokeChannel, InvokeReturn, IpcError, IpcResult, PbasApi } from '../shared/ipc/invoke-map'
import type { EventChannel, EventMap } from '../shared/ipc/event-map'

/** Fake handlers by channel, each with its channel's argument and result types. */
export type FakeHandlers = { [C in InvokeChannel]?: (arg: InvokeArg<C>) => InvokeReturn<C> | Promise<InvokeReturn<C>> }

/** Thrown by a fake handler: the call answers { ok: false, error } as the real dispatcher does. */
export class FakeIpcError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message)
  }
}

/** Installs the fake on globalThis.window; returns the invoke spy and a typed event sender. */
export function installFakePbas(handlers: FakeHandlers) {
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>()
  const invoke = vi.fn(async (channel: InvokeChannel, arg: unknown): Promise<IpcResult<unknown>> => {
    const h = handlers[channel] as ((a: unknown) => unknown) | undefined
    if (!h) return { ok: false, error: { code: 'not-found', message: `the fake has no ${channel}` } }
    try {
      return { ok: true, value: await h(arg) }
    } catch (err) {
      if (err instanceof FakeIpcError) return { ok: false, error: err.error }
      throw err
    }
  })
  const api: PbasApi = {
    invoke: invoke as unknown as PbasApi['invoke'],
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set.add(listener as (payload: never) => void))
      return () => void set.delete(listener as (payload: never) => void)
    },
  }
  ;(globalThis as unknown as { window: unknown }).window = { pbas: api, location: { hash: '' } }
  return {
    invoke,
    emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
      for (const l of listeners.get(channel) ?? []) (l as (p: EventMap[E]) => void)(payload)
    },
  }
}
