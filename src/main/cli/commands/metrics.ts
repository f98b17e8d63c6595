// `pbas metrics FILE.json`: the five metrics for predictions from any tool (metrics.json's shape).
import { readFile } from 'node:fs/promises'
import { computeMetrics } from '../../engine/metrics/evaluate'
import type { ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'

interface Input {
  labels: number[]
  maps: { shape: [number, number, number]; data: number[] }
  masks?: { shape: [number, number, number]; data: number[] }
}

/** Runs `pbas metrics`; prints the same keys as `eval --json` (images_per_second is null). */
async function runMetrics(args: ParsedArgs): Promise<number> {
  const [file] = args.positional
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

export const METRICS_COMMAND = defineCommand({
  name: 'metrics',
  summary: "the five metrics for any tool's anomaly maps, with `pbas eval --json`'s keys",
  positionals: 'FILE.json',
  positionalCount: [1, 1],
  options: { json: { type: 'boolean', description: 'accepted for symmetry with eval; the output is always JSON' } },
  examples: ['pbas metrics my-tool-maps.json'],
  notes: ['FILE.json keys: labels [n] (0/1), maps {shape: [n, h, w], data: [...]}, optional masks {shape, data} (0/1 per pixel).'],
  run: runMetrics,
})
