// The shape of IPC handlers: one async function per channel, with the channel's argument and result types.
import type { InvokeArg, InvokeChannel, InvokeReturn } from '../../shared/ipc/invoke-map'

/** Handles one channel; the dispatcher has already checked the untrusted argument against its schema (shared/ipc/invoke-args.ts). */
export type Handler<C extends InvokeChannel> = (arg: InvokeArg<C>) => Promise<InvokeReturn<C>>

/** Handlers for a set of channels (a domain's file declares its own set). */
export type HandlerMap<C extends InvokeChannel> = { [K in C]: Handler<K> }
