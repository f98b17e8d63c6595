// A request the handlers refuse after its argument passed its schema (shared/ipc/invoke-args.ts): a run that has not finished, an unknown product.

/** A bad request; dispatch turns it into an 'invalid-argument' IpcError. */
export class InvalidArgument extends Error {}
