#!/usr/bin/env node
// Entry point of the `pbas` command: runs the bundled CLI built by `npm run build`.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  console.error('pbas: the command-line tool is not built yet. Run `npm run build` in ' + join(__dirname, '..') + ' first.')
  process.exit(2)
}
require(cli)
