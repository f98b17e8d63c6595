// `pbas dataset check DIR`: the same summary the app shows on import.
import { checkDataset, formatSummary } from '../../engine/data/check-dataset'
import type { LayoutName } from '../../engine/data/types'
import { flagBool, flagString, type ParsedArgs } from '../args'
import { CATEGORY_OPTION } from '../common-options'
import { defineCommand, type CommandGroup } from '../command-spec'
import { ProgressView } from '../progress-view'

/** Runs `pbas dataset check`; exit code 1 when the data set has errors. */
async function runCheck(args: ParsedArgs): Promise<number> {
  const [dir] = args.positional
  const layout = flagString(args, 'layout')
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

export const DATASET_GROUP: CommandGroup = {
  name: 'dataset',
  summary: 'data set checks',
  subcommands: [
    defineCommand({
      name: 'dataset check',
      summary: 'counts, defect types, image sizes and problems of a data set folder (what the app shows on import)',
      positionals: 'DIR',
      positionalCount: [1, 1],
      options: {
        category: CATEGORY_OPTION,
        layout: { type: 'string', choices: ['mvtec', 'mpdd', 'visa', 'plain'], description: 'the folder layout', defaultText: 'detected' },
        json: { type: 'boolean', description: 'print the summary as JSON' },
      },
      examples: ['pbas dataset check ~/data/mvtec/bottle', 'pbas dataset check ~/photos/part-17 --layout plain'],
      notes: ['Exit code 1 when the data set has errors (each is listed with the file and what to do).'],
      run: runCheck,
    }),
  ],
}
