// `pbas workspace move`: a workspace's records from a SQLite folder to PostgreSQL and back, verified.
import { moveWorkspace } from '../../workspace/move-workspace'
import { flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { defineCommand, type CommandGroup } from '../command-spec'

/** Runs `pbas workspace move`; exit code 0 when every table verified. */
async function runMove(args: ParsedArgs): Promise<number> {
  const from = flagString(args, 'from')
  const to = flagString(args, 'to')
  if (!from || !to) throw new UsageError('say where the workspace is (--from) and where it goes (--to): a folder or a postgres:// URL')
  const r = moveWorkspace(from, to, { files: flagString(args, 'files') })
  if (flagBool(args, 'json')) console.log(JSON.stringify(r, null, 2))
  else {
    console.log(`Moved ${from === r.from ? from : r.from} to ${r.to}; every table verified:`)
    for (const [t, n] of Object.entries(r.rows)) console.log(`  ${t}: ${n}`)
    console.log(`Files (models, reviews, reports, images): ${r.filesCopied ? `copied to ${r.files}` : `stay in ${r.files}`}. The source workspace is unchanged.`)
  }
  return 0
}

export const WORKSPACE_GROUP: CommandGroup = {
  name: 'workspace',
  summary: 'move a workspace between SQLite and PostgreSQL',
  subcommands: [
    defineCommand({
      name: 'workspace move',
      summary: "copies every record of a workspace into a new, empty one (SQLite folder <-> postgres:// URL) and verifies each table",
      options: {
        from: { type: 'string', value: 'DIR|URL', description: 'the workspace to move (it is left as it was)' },
        to: { type: 'string', value: 'DIR|URL', description: 'the new workspace: an empty folder or an empty PostgreSQL database' },
        files: { type: 'string', value: 'DIR', description: "the shared folder for a PostgreSQL target's models and reviews (copied there, paths rewritten)", defaultText: 'where the files are now' },
        json: { type: 'boolean', description: 'print what was moved as JSON' },
      },
      examples: [
        'pbas workspace move --from ~/.local/share/pbas-inspect/workspace --to postgres://pbas@db.plant.local/pbas --files /mnt/quality/pbas',
        'pbas workspace move --from postgres://pbas@db.plant.local/pbas --to ~/pbas-copy',
      ],
      notes: ['The target must be empty (a new folder, or a database created for it). Exit code 1, with the reason, when it is not or when a table does not verify; the source is never changed.'],
      run: runMove,
    }),
  ],
}
