// Every invoke channel's argument, declared once as a zod schema: invoke-map.ts takes its argument types from here
// (z.infer), and the dispatcher checks each untrusted argument against the same schema, so the two cannot drift.
import { z } from 'zod'
import { PRESETS } from '../pbas/parameters'
import type { BackboneArch } from '../models/pbas-config'
import { parseRegion, RegionError, type InspectionRegion } from '../image/region'
import { STATION_NAME } from '../models/line-messages'

const text = (what = 'a non-empty string') => z.string({ error: `must be ${what}` }).min(1, { error: `must be ${what}` })
const id = text()
const optionalText = text().optional()
const flag = z.boolean({ error: 'must be true or false' })
/** A station's line connections as a person configures them (passwords stay in the environment of the process that publishes). */
const lineChoice = z
  .object({
    station: z.string().regex(STATION_NAME, { error: "must be letters, digits, '.', '-' or '_' (it names MQTT topics and OPC UA nodes)" }),
    mqtt: z.object({ url: z.string().regex(/^mqtts?:\/\/[^\s]+$/, { error: 'must be an mqtt:// or mqtts:// URL' }), username: optionalText, prefix: optionalText }).optional(),
    opcua: z.object({ port: z.int({ error: 'must be a port number' }).min(1, { error: 'must be a port number' }).max(65535, { error: 'must be a port number' }), user: optionalText, allowAnonymous: flag.optional() }).optional(),
  })
  .refine((l) => !l.opcua || l.opcua.user || l.opcua.allowAnonymous, { error: 'an OPC UA server needs a user for the PLC, or anonymous access allowed explicitly' })
const finite = z.number({ error: 'must be a finite number' }).refine(Number.isFinite, { error: 'must be a finite number' })
const share = z.number({ error: 'must be a finite number from 0 to 1' }).refine((v) => Number.isFinite(v) && v >= 0 && v <= 1, { error: 'must be a finite number from 0 to 1' })
const none = z.unknown().transform((): void => undefined)
const note = (max: number) => z.string({ error: `must be text of at most ${max} characters` }).max(max, { error: `must be text of at most ${max} characters` })

const ARCHS = ['resnet18', 'resnet50', 'wide_resnet50_2'] as const satisfies readonly BackboneArch[]
const arch = z.enum(ARCHS, { error: `must be one of ${ARCHS.join(', ')}` })
const preset = z.string().refine((p) => Object.hasOwn(PRESETS, p), { error: `must be one of ${Object.keys(PRESETS).join(', ')}` })
/** One override value as the training form sends it: a scalar, a list of names (taps), or null (the default). */
const override = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()], { error: 'must be a string, number, boolean, list of strings or null' })
const overrides = z.record(z.string(), override).optional()
const paths = z.array(text('an image path'), { error: 'must be a list of 1 to 500 image paths' }).min(1, { error: 'must be a list of 1 to 500 image paths' }).max(500, { error: 'must be a list of 1 to 500 image paths' })
/** A threshold a reviewer settled on (also how the workspace stores it). */
export const chosenThresholdSchema = z
  .object({ mode: z.enum(['f1-max', 'fpr', 'manual'], { error: 'must be f1-max, fpr or manual' }), value: finite, review: finite, fprTarget: share.optional() })
  .refine((t) => t.review <= t.value, { error: 'the review band must start at or below the threshold', path: ['review'] })
const level = finite.nullable()
const overlayLevels = z.object({ heatFrom: level, outlineAt: level })
const overlayChoice = z.object({ aboveReviewOnly: flag, thresholdOutline: flag })

/** A region to inspect, checked by the one parser the CLI and model files use (its message names the field at fault). */
const region = z.unknown().transform((v, ctx): InspectionRegion => {
  try {
    return parseRegion(v, 'the region')
  } catch (err) {
    if (!(err instanceof RegionError)) throw err
    ctx.addIssue({ code: 'custom', message: err.message })
    return z.NEVER
  }
})

/** channel -> its argument's schema. */
export const INVOKE_ARGS = {
  'app:info': none,
  'products:list': none,
  'products:status': z.object({ productId: id }),
  'products:create': z.object({ name: id }),
  'products:rename': z.object({ id, name: id }),
  'products:delete': z.object({ id }),
  'products:set-region': z.object({ id, region: region.nullable() }),
  'datasets:list': z.object({ productId: id }),
  'runs:list': z.object({ productId: id }),
  'runs:start': z.object({ productId: id, datasetId: id, preset, overrides, name: note(200).optional(), note: note(10_000).optional(), estimateSeconds: finite.refine((v) => v >= 0, { error: 'must not be negative' }).optional() }),
  'runs:describe': z.object({ runId: id, name: note(200).optional(), note: note(10_000).optional() }),
  'runs:estimate': z.object({ datasetId: id, preset, overrides, refresh: flag.optional() }),
  'runs:cancel': z.object({ runId: id }),
  'runs:resume': z.object({ runId: id, restart: flag.optional() }),
  'runs:epochs': z.object({ runId: id }),
  'datasets:thumbnails': z.object({ dir: id, category: optionalText, perType: z.int({ error: 'must be a whole number from 1 to 12' }).min(1).max(12).optional() }),
  'datasets:reference-photo': z.object({ datasetId: id }),
  'datasets:check-start': z.object({ dir: id, category: optionalText }),
  'datasets:save': z.object({ productId: id, jobId: id, copy: flag.optional() }),
  'jobs:cancel': z.object({ jobId: id }),
  'dialog:open-folder': none,
  'backbones:list': none,
  'backbones:import': z.object({ path: id, arch: arch.optional() }),
  'backbones:fetch': z.object({ arch }),
  'evaluations:list': z.object({ runId: id }),
  'evaluations:start': z.object({ runId: id, dir: optionalText, category: optionalText }),
  'evaluations:cancel': z.object({ evaluationId: id }),
  'evaluations:review': z.object({ evaluationId: id }),
  'evaluations:thumbs': z.object({ evaluationId: id, indices: z.array(z.int().nonnegative(), { error: 'must be a list of image numbers' }).max(500, { error: 'must be at most 500 image numbers' }), overlay: overlayLevels.optional() }),
  'evaluations:image': z.object({ evaluationId: id, index: z.int({ error: 'must be an image number' }).nonnegative({ error: 'must be an image number' }) }),
  'evaluations:set-threshold': z.object({ evaluationId: id, threshold: chosenThresholdSchema }),
  'verdicts:list': z.object({ runId: id }),
  'verdicts:set': z.object({ runId: id, imagePath: id, verdict: z.enum(['defect', 'good', 'unsure'], { error: "must be 'defect', 'good', 'unsure' or null" }).nullable() }),
  'training:add-good': z.object({ productId: id, paths }),
  'training:list': z.object({ productId: id }),
  'training:remove-good': z.object({ productId: id, paths }),
  'plots:start': z.object({ runId: id, stage: z.enum(['initial', 'checkpoint', 'final'], { error: 'must be initial, checkpoint or final' }) }),
  'plots:centre': z.object({ runId: id }),
  'calibrations:list': z.object({ runId: id }),
  'calibrations:start': z
    .object({ runId: id, evaluationId: optionalText, dir: optionalText, replace: flag.optional() })
    .refine((a) => !a.evaluationId !== !a.dir, { error: 'give either evaluationId (its confirmed-good parts) or dir (a folder of good parts)' }),
  'calibrations:select': z.object({ runId: id, revision: z.int({ error: 'must be a revision number' }).min(1, { error: 'must be a revision number' }) }),
  'reports:export': z.object({ evaluationId: id, pdf: flag.optional(), overlay: overlayChoice.optional() }),
  'reports:list': z.object({ runId: id }),
  'reports:read': z.object({ path: id }),
  'reports:open': z.object({ path: id }),
  'runs:export': z.object({ runId: id, dir: optionalText }),
  'stations:start': z.object({ runId: id, dir: id, sort: flag.optional(), line: lineChoice.optional() }),
  'stations:pause': z.object({ stationId: id }),
  'stations:resume': z.object({ stationId: id }),
  'stations:stop': z.object({ stationId: id }),
  'stations:recalibrate': z.object({ stationId: id }),
  'stations:status': none,
  'fleet:list': none,
  'fleet:push': z.object({ stationId: id, runId: id }),
}

// Every channel of invoke-map.ts has a schema here: a channel added there without one fails to compile on this line.
type MissingSchema = Exclude<import('./invoke-map').InvokeChannel, keyof typeof INVOKE_ARGS>
const everyChannelHasASchema: [MissingSchema] extends [never] ? true : MissingSchema = true
void everyChannelHasASchema

/** Each channel's argument type, inferred from its schema (invoke-map.ts reads these). */
export type InvokeArgs = { [C in keyof typeof INVOKE_ARGS]: z.infer<(typeof INVOKE_ARGS)[C]> }

/** A request whose argument does not match its channel's schema; the message names the field and what it must be. */
export class ArgumentError extends Error {}

/** The expected shape in words, e.g. `{ runId, dir? }`, for an argument that is not an object at all. */
function shapeOf(schema: z.ZodType): string {
  const def = (schema as { def?: { type?: string; shape?: Record<string, z.ZodType>; in?: z.ZodType } }).def
  const shape = def?.shape ?? (def?.in as { def?: { shape?: Record<string, z.ZodType> } } | undefined)?.def?.shape
  return shape ? `{ ${Object.entries(shape).map(([k, v]) => (v.safeParse(undefined).success ? `${k}?` : k)).join(', ')} }` : 'an object'
}

/** The path of a `__proto__` key anywhere in a parsed JSON value (zod would drop it silently; it is refused by name). */
function protoKey(v: unknown, path: string[] = []): string | null {
  if (!v || typeof v !== 'object') return null
  for (const k of Object.keys(v)) {
    if (k === '__proto__') return [...path, k].join('.')
    const inner = protoKey((v as Record<string, unknown>)[k], [...path, k])
    if (inner) return inner
  }
  return null
}

/** Checks a channel's argument and returns it typed (unknown fields dropped); throws ArgumentError. */
export function parseInvokeArg<C extends keyof typeof INVOKE_ARGS>(channel: C, arg: unknown): InvokeArgs[C] {
  const proto = protoKey(arg)
  if (proto) throw new ArgumentError(`${proto} is not a name this request accepts`)
  const schema: z.ZodType | undefined = INVOKE_ARGS[channel]
  if (!schema) throw new ArgumentError(`no argument schema for ${String(channel)}`)
  const r = schema.safeParse(arg)
  if (r.success) return r.data as InvokeArgs[C]
  const issue = r.error.issues[0]
  if (issue.path.length === 0 && (arg === null || typeof arg !== 'object' || Array.isArray(arg))) throw new ArgumentError(`expected ${shapeOf(schema)}`)
  const where = issue.path.map(String).join('.')
  throw new ArgumentError(where ? `${where} ${issue.message}` : issue.message)
}
