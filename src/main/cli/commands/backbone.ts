// `pbas backbone list|fetch|import`: manage the ImageNet weights the feature extractor needs.
import { fetchBackbone, importBackbone, listStoredWeights } from '../../engine/backbone/weight-store'
import { RESNET_SPECS, type ResNetArch } from '../../engine/backbone/resnet-spec'
import { TORCHVISION_FILES, weightsBaseUrl } from '../../engine/backbone/torchvision-catalog'
import { defaultDataDir } from '../../engine/util/data-dir'
import { allowOnly, flagBool, flagString, UsageError, type ParsedArgs } from '../args'
import { formatDuration } from '../progress-view'

export const BACKBONE_HELP = [
  'pbas backbone list [--json]                 stored weights and what can be fetched',
  'pbas backbone fetch ARCH                    download torchvision ImageNet weights (checksum verified)',
  'pbas backbone import FILE [--arch ARCH]     store a .pth/.safetensors file you already have',
  `  ARCH: ${Object.keys(RESNET_SPECS).join(', ')}`,
].join('\n')

function asArch(s: string | undefined): ResNetArch {
  if (!s || !(s in RESNET_SPECS)) throw new UsageError(`architecture must be one of ${Object.keys(RESNET_SPECS).join(', ')}`)
  return s as ResNetArch
}

/** Runs `pbas backbone ...`. */
export async function runBackbone(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['json', 'arch'])
  const [sub, target] = args.positional
  const dataDir = defaultDataDir()
  if (sub === 'list') {
    const stored = await listStoredWeights(dataDir)
    if (flagBool(args, 'json')) {
      console.log(JSON.stringify({ dataDir, stored, fetchable: TORCHVISION_FILES }, null, 2))
      return 0
    }
    for (const arch of Object.keys(RESNET_SPECS) as ResNetArch[]) {
      const s = stored.find((w) => w.arch === arch)
      console.log(`${arch.padEnd(16)} ${s ? `stored  ${s.file} (sha256 ${s.sha256.slice(0, 12)}, to layer${s.layers})` : `missing (fetch: ${weightsBaseUrl()}/${TORCHVISION_FILES[arch]})`}`)
    }
    return 0
  }
  if (sub === 'fetch') {
    const arch = asArch(target)
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
  if (sub === 'import') {
    if (!target) throw new UsageError('expected: pbas backbone import FILE [--arch ARCH]')
    const archFlag = flagString(args, 'arch')
    const rec = await importBackbone(target, dataDir, archFlag ? asArch(archFlag) : undefined)
    console.log(`imported ${rec.arch} weights to layer${rec.layers} (sha256 ${rec.sha256}) into ${dataDir}`)
    return 0
  }
  throw new UsageError(BACKBONE_HELP)
}
