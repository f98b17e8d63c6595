// Run-time validation of IPC arguments (the renderer is untrusted): small checks with messages that say what is expected.

/** A bad argument; dispatch turns it into an 'invalid-argument' IpcError. */
export class InvalidArgument extends Error {}

/**
 * The argument as a plain object of its own fields only (a null-prototype copy), so names such as
 * 'constructor' or 'toString' read as absent instead of reaching Object.prototype; `shape` is for the message.
 */
export function object(v: unknown, shape: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgument(`expected ${shape}`)
  return Object.assign(Object.create(null) as Record<string, unknown>, v)
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

/** One of a fixed set of values (checked by own keys or equality, never by `in`). */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], name: string): T {
  const hit = allowed.find((a) => a === v)
  if (hit === undefined) throw new InvalidArgument(`${name} must be one of ${allowed.join(', ')}`)
  return hit
}

/** A finite number, optionally within [min, max]. */
export function finite(v: unknown, name: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new InvalidArgument(`${name} must be a finite number${min > -Infinity || max < Infinity ? ` from ${min} to ${max}` : ''}`)
  return v
}
