// `pbas backbone list|fetch|import`: manage the ImageNet weights the feature extractor needs.
import { listAvailableWeights } from '../../engine/backbone/available-weights'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { fetchBackbone, importBackbone } from '../../engine/backbone/weight-store'
import { RESNET_SPECS, type ResNetArch } from '../../engine/backbone/resnet-spec'
import { TORCHVISION_FILES, weightsBaseUrl } from '../../engine/backbone/torchvision-catalog'
import { defaultDataDir } from '../../engine/util/data-dir'
import { flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { defineCommand, type CommandGroup } from '../command-spec'
import { formatDuration } from '../progress-view'

const ARCHS = Object.keys(RESNET_SPECS)

function asArch(s: string | undefined): ResNetArch {
  if (!s || !(s in RESNET_SPECS)) throw new UsageError(`architecture must be one of ${ARCHS.join(', ')}`)
  return s as ResNetArch
}

async function runList(args: ParsedArgs): Promise<number> {
  const dataDir = defaultDataDir()
  const available = await listAvailableWeights(dataDir, defaultResourcesDir())
  if (flagBool(args, 'json')) {
    console.log(JSON.stringify({ dataDir, available, fetchable: TORCHVISION_FILES }, null, 2))
    return 0
  }
  for (const arch of ARCHS as ResNetArch[]) {
    const here = available.filter((w) => w.arch === arch)
    const line = here.map((w, i) => `${w.origin === 'built-in' ? 'built in' : 'stored'}  ${w.path} (sha256 ${w.sha256.slice(0, 12)}, to layer${w.layers})${i === 0 && here.length > 1 ? ' [used by new runs]' : ''}`)
    console.log(`${arch.padEnd(16)} ${line.length ? line.join(`\n${''.padEnd(17)}`) : `missing (fetch: ${weightsBaseUrl()}/${TORCHVISION_FILES[arch]})`}`)
  }
  return 0
}

async function runFetch(args: ParsedArgs): Promise<number> {
  const arch = asArch(args.positional[0])
  const dataDir = defaultDataDir()
  const ac = new AbortController()
  process.once('SIGINT', () => ac.abort())
  const rec = await fetchBackbone(arch, dataDir, {
    signal: ac.signal,
    onProgress: (e) => {
      const pct = e.totalBytes ? ((100 * e.bytes) / e.totalBytes).toFixed(1) + '%' : `${(e.bytes / 2 ** 20).toFixed(1)} MiB`
      process.stderr.write(`\rdownloading ${arch}: ${pct}  ETA ${formatDuration(e.etaSeconds)}   `)
    },
  })
  process.stderr.write('\n')
  console.log(`stored ${rec.arch} weights (sha256 ${rec.sha256}) in ${dataDir}`)
  return 0
}

async function runImport(args: ParsedArgs): Promise<number> {
  const dataDir = defaultDataDir()
  const archFlag = flagString(args, 'arch')
  const rec = await importBackbone(args.positional[0], dataDir, archFlag ? asArch(archFlag) : undefined)
  console.log(`imported ${rec.arch} weights to layer${rec.layers} (sha256 ${rec.sha256}) into ${dataDir}; new runs with ${rec.arch} use them from now on`)
  return 0
}

export const BACKBONE_GROUP: CommandGroup = {
  name: 'backbone',
  summary: 'the ImageNet weights backbones need: built in (ResNet18), fetched, or imported',
  subcommands: [
    defineCommand({
      name: 'backbone list',
      summary: 'weights on this machine, built in and stored, and what can be fetched',
      options: { json: { type: 'boolean', description: 'print JSON instead of text' } },
      examples: ['pbas backbone list'],
      notes: ["A run that names an architecture uses your stored weights when you have some, else the built-in ones; a saved model loads the exact weights it was trained with (by sha256)."],
      run: runList,
    }),
    defineCommand({
      name: 'backbone fetch',
      summary: "download torchvision's ImageNet weights (sha256 checked) into your store",
      positionals: 'ARCH',
      positionalCount: [1, 1],
      options: {},
      examples: ['pbas backbone fetch wide_resnet50_2'],
      notes: [`ARCH: ${ARCHS.join(', ')}. PBAS_WEIGHTS_BASE_URL points at a mirror.`],
      run: runFetch,
    }),
    defineCommand({
      name: 'backbone import',
      summary: 'store a .pth or .safetensors file you already have (offline)',
      positionals: 'FILE',
      positionalCount: [1, 1],
      options: { arch: { type: 'string', value: 'ARCH', choices: ARCHS, description: 'refuse the file unless it holds this architecture', defaultText: 'told from the tensor shapes' } },
      examples: ['pbas backbone import ~/Downloads/wide_resnet50_2-95faca4d.pth'],
      run: runImport,
    }),
  ],
}
