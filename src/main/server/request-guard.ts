// What the bridge accepts before it looks at a request: a parsable target, its own Host, and its own Origin.

/** Why a request is refused before any handler sees it, with the HTTP status to answer. */
export interface Refusal {
  status: 400 | 403
  error: string
}

/**
 * The path and query of a request target, or null when it is not an origin-form target ("/path?query").
 * Targets such as "//", "http://[zz" or "*" are never handed to `new URL` with a guessable base, so no
 * target can throw outside the handler's error boundary.
 */
export function parseTarget(target: string | undefined): URL | null {
  if (!target || target[0] !== '/' || target.startsWith('//')) return null
  try {
    return new URL(target, 'http://127.0.0.1')
  } catch {
    return null
  }
}

/** The addresses the bridge answers under: the one it prints, and localhost. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/**
 * Host and Origin checks shared by HTTP and WebSocket requests. The Host check blocks DNS rebinding; the
 * Origin check blocks pages of other sites (a browser sends Origin on every WebSocket, POST and CORS request,
 * and Sec-Fetch-Site on every request, so a cross-site `fetch(..., {mode: 'no-cors'})` is refused too).
 * Clients that are not browsers send neither and still need the token for anything but the app's files.
 */
export function checkRequestSource(headers: Record<string, string | string[] | undefined>, port: number): Refusal | null {
  const hosts = allowedHosts(port)
  const host = headers.host
  if (typeof host !== 'string' || !hosts.includes(host)) return { status: 403, error: 'bad host' }
  const origin = headers.origin
  if (origin !== undefined && (typeof origin !== 'string' || !hosts.some((h) => origin === `http://${h}`))) return { status: 403, error: 'bad origin' }
  const site = headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, error: 'cross-site request' }
  return null
}
