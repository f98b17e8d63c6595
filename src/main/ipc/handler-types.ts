// The shape of IPC handlers: one async function per channel, with the channel's argument and result types.
import type { InvokeChannel, InvokeReturn } from '../../shared/ipc/invoke-map'

/** Handles one channel; the argument comes from the untrusted renderer, so it is `unknown` and validated inside. */
export type Handler<C extends InvokeChannel> = (arg: unknown) => Promise<InvokeReturn<C>>

/** Handlers for a set of channels (a domain's file declares its own set). */
export type HandlerMap<C extends InvokeChannel> = { [K in C]: Handler<K> }
