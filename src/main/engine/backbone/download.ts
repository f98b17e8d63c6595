// Streams a URL to a file with progress, ETA, cancellation and a sha256 check before it lands.
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { once } from 'node:events'
import { CancelledError, type JobOptions } from '../util/job'
import { tempName } from '../util/atomic-write'
import type { DownloadProgress } from '../../../shared/models/progress'

export type { DownloadProgress } from '../../../shared/models/progress'

/** Downloads `url` to `dest` atomically. `sha256Prefix` (hex) must match the start of the file's sha256. */
export async function downloadFile(
  url: string,
  dest: string,
  sha256Prefix: string | null,
  opts: JobOptions<DownloadProgress> = {},
): Promise<{ sha256: string; bytes: number }> {
  await mkdir(dirname(dest), { recursive: true })
  let res: Response
  try {
    res = await fetch(url, { signal: opts.signal })
  } catch (err) {
    if (opts.signal?.aborted) throw new CancelledError()
    throw new Error(`Cannot download ${url}: ${(err as Error).cause ?? (err as Error).message}. If this machine is offline, download the file elsewhere and use "import from file".`)
  }
  if (!res.ok || !res.body) throw new Error(`Cannot download ${url}: the server answered ${res.status} ${res.statusText}`)
  const total = Number(res.headers.get('content-length')) || null
  const tmp = tempName(dest)
  const out = createWriteStream(tmp)
  const hash = createHash('sha256')
  const started = Date.now()
  let bytes = 0
  let lastReport = 0
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk)
      bytes += chunk.length
      if (!out.write(chunk)) await once(out, 'drain')
      const now = Date.now()
      if (now - lastReport > 100 || bytes === total) {
        lastReport = now
        const rate = bytes / Math.max(1, now - started)
        opts.onProgress?.({ kind: 'download', url, bytes, totalBytes: total, etaSeconds: total ? (total - bytes) / rate / 1000 : null })
      }
    }
    out.end()
    await once(out, 'finish')
    if (total !== null && bytes !== total) throw new Error(`Download of ${url} stopped early (${bytes} of ${total} bytes); try again.`)
    const sha256 = hash.digest('hex')
    if (sha256Prefix && !sha256.startsWith(sha256Prefix))
      throw new Error(`Download of ${url} is damaged: sha256 ${sha256.slice(0, 12)}... does not start with ${sha256Prefix}. Nothing was saved; try again.`)
    await rename(tmp, dest)
    return { sha256, bytes }
  } catch (err) {
    out.destroy()
    await unlink(tmp).catch(() => {})
    if (opts.signal?.aborted) throw new CancelledError()
    throw err
  }
}
