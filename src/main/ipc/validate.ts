// Run-time validation of IPC arguments (the renderer is untrusted): small checks with messages that say what is expected.

/** A bad argument; dispatch turns it into an 'invalid-argument' IpcError. */
export class InvalidArgument extends Error {}

/** The argument as a plain object; `shape` describes what was expected for the message. */
export function object(v: unknown, shape: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgument(`expected ${shape}`)
  return v as Record<string, unknown>
}

/** A non-empty string field. */
export function requireString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidArgument(`${name} must be a non-empty string`)
  return v
}

/** An absent or non-empty string field. */
export function optionalString(v: unknown, name: string): string | undefined {
  return v === undefined ? undefined : requireString(v, name)
}
