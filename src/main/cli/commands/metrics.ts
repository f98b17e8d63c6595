// `pbas metrics FILE.json`: the five metrics for predictions from any tool (metrics.json's shape).
import { readFile } from 'node:fs/promises'
import { computeMetrics } from '../../engine/metrics/evaluate'
import { allowOnly, UsageError, type ParsedArgs } from '../args'

export const METRICS_HELP = 'pbas metrics FILE.json   (keys: labels [n], maps {shape [n,h,w], data}, optional masks {shape, data})'

interface Input {
  labels: number[]
  maps: { shape: [number, number, number]; data: number[] }
  masks?: { shape: [number, number, number]; data: number[] }
}

/** Runs `pbas metrics`; prints the same keys as `eval --json` (images_per_second is null). */
export async function runMetrics(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['json'])
  const [file] = args.positional
  if (!file) throw new UsageError(METRICS_HELP)
  let input: Input
  try {
    input = JSON.parse(await readFile(file, 'utf8')) as Input
  } catch (err) {
    throw new Error(`Cannot read ${file}: ${(err as Error).message}`)
  }
  if (!Array.isArray(input.labels) || !input.maps?.shape || !Array.isArray(input.maps.data))
    throw new Error(`${file} needs 'labels' (0/1 per image) and 'maps' ({shape: [n, h, w], data: [...]})`)
  const [n, h, w] = input.maps.shape
  if (input.labels.length !== n) throw new Error(`${file}: ${input.labels.length} labels but ${n} maps`)
  if (input.masks && input.masks.shape.join() !== input.maps.shape.join()) throw new Error(`${file}: masks shape [${input.masks.shape}] differs from maps shape [${input.maps.shape}]`)
  const m = computeMetrics({ labels: input.labels, maps: Float32Array.from(input.maps.data), masks: input.masks?.data, n, h, w })
  console.log(JSON.stringify({ ...m, images_per_second: null }))
  return 0
}
