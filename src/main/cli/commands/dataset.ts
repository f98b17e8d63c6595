// `pbas dataset check DIR`: the same summary the app shows on import.
import { checkDataset, formatSummary } from '../../engine/data/check-dataset'
import type { LayoutName } from '../../engine/data/types'
import { allowOnly, flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { ProgressView } from '../progress-view'

export const DATASET_HELP = 'pbas dataset check DIR [--category C] [--layout mvtec|mpdd|visa|plain] [--json]'

const LAYOUTS = ['mvtec', 'mpdd', 'visa', 'plain']

/** Runs `pbas dataset ...`; exit code 1 when the data set has errors. */
export async function runDataset(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['category', 'layout', 'json'])
  const [sub, dir] = args.positional
  if (sub !== 'check' || !dir) throw new UsageError('expected: ' + DATASET_HELP)
  const layout = flagString(args, 'layout')
  if (layout && !LAYOUTS.includes(layout)) throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')}`)
  const json = flagBool(args, 'json')
  const view = new ProgressView(false)
  const summary = await checkDataset(
    dir,
    { category: flagString(args, 'category'), layout: layout as LayoutName | undefined },
    { onProgress: json ? undefined : (e) => view.show(e) },
  )
  console.log(json ? JSON.stringify(summary, null, 2) : formatSummary(summary))
  return summary.ok ? 0 : 1
}
