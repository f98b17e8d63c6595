import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BUILT_IN_RESNET18, REPO_ROOT, readReference, referencePath } from '../../test-support/shared'

const run = promisify(execFile)
const BIN = join(REPO_ROOT, 'bin/pbas.js')

async function pbas(...args: (string | Record<string, string>)[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const words = args.filter((a): a is string => typeof a === 'string')
  const env = Object.assign({}, ...args.filter((a) => typeof a !== 'string'))
  try {
    const r = await run(process.execPath, [BIN, ...words], { env: { ...process.env, PBAS_BACKEND: 'wasm', ...env } })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('the built pbas command', () => {
  it('is built (npm test runs `npm run build` first)', () => {
    expect(existsSync(join(REPO_ROOT, 'out/main/cli.js'))).toBe(true)
  })

  it('dataset check prints the counts of a product, as text and --json (real data sets: cli.real.test.ts)', async () => {
    const { mkdtemp } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { writeSyntheticProduct } = await import('../engine/demo/synthetic-product')
    const dir = join(await mkdtemp(join(tmpdir(), 'pbas-cli-ds-')), 'p')
    await writeSyntheticProduct(dir, { size: 48, trainGood: 9, testGood: 3, testScratch: 2, testDent: 4, seed: 4 })
    const r = await pbas('dataset', 'check', dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('train good: 9   test good: 3   test defective: 6 in 2 type(s): dent, scratch')
    const j = await pbas('dataset', 'check', dir, '--json')
    expect(JSON.parse(j.stdout)).toMatchObject({ trainGood: 9, testGood: 3, testDefect: 6, ok: true })
  })

  it('info reports the chosen backend and the built-in ResNet18 weights', async () => {
    const r = await pbas('info', '--json')
    const info = JSON.parse(r.stdout)
    expect(info).toMatchObject({ backend: 'wasm', tfBackend: 'wasm', backendReason: 'PBAS_BACKEND=wasm' })
    expect(info.weights).toContainEqual(expect.objectContaining({ arch: 'resnet18', origin: 'built-in', layers: 3, sha256: expect.stringMatching(/^eb1bd860/) }))
    const text = await pbas('info')
    expect(text.stdout).toMatch(/weights: .*built-in resnet18 ImageNet weights \(sha256 eb1bd860\), to layer3/)
  })

  it('fails clearly: unknown command (2), bad option naming the closest (2), missing folder (1)', async () => {
    const cmd = await pbas('tarin')
    expect([cmd.code, cmd.stderr.split('\n')[0]]).toEqual([2, "pbas: unknown command 'tarin'; did you mean 'train'?"])
    const bad = await pbas('dataset', 'check', '.', '--catgory', 'x')
    expect([bad.code, bad.stderr.trim().split('\n')[0]]).toEqual([2, 'pbas dataset check: unknown option --catgory; did you mean --category?'])
    const epoch = await pbas('train', '--data', 'd', '--out', 'o', '--epoch', '5')
    expect([epoch.code, epoch.stderr.split('\n')[0]]).toEqual([2, 'pbas train: unknown option --epoch; did you mean --epochs?'])
    const missing = await pbas('dataset', 'check', '/no/such/dir')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('/no/such/dir is not a folder')
    // A region file that cannot be used stops training before anything starts, naming the file and the field.
    const regionFile = join(mkdtempSync(join(tmpdir(), 'pbas-cli-region-')), 'region.json')
    writeFileSync(regionFile, JSON.stringify({ imageWidth: 100, imageHeight: 50, ignore: [{ type: 'circle' }] }))
    const region = await pbas('train', '--data', '/no/such/dir', '--out', 'o', '--region', regionFile)
    expect(region.code).toBe(1)
    expect(region.stderr).toContain(`${regionFile}: ignore[0]: unknown shape type "circle"`)
  })
})

describe('pbas COMMAND --help', () => {
  const commands = [['train'], ['eval'], ['calibrate'], ['infer'], ['watch'], ['export'], ['report'], ['serve'], ['info'], ['metrics'], ['demo'], ['dataset', 'check'], ['backbone', 'list'], ['backbone', 'fetch'], ['backbone', 'import']]
  it.each(commands.map((c) => [c.join(' '), c]))('pbas %s --help prints usage, options with defaults and an example, exit 0', async (name, words) => {
    const r = await pbas(...(words as string[]), '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`usage: pbas ${name}`)
    expect(r.stdout).toMatch(/\noptions:\n/)
    expect(r.stdout).toMatch(/-h, --help/)
    expect(r.stdout).toMatch(new RegExp(`\nexamples?:\n {2}pbas ${name}`))
  })

  it('groups list their subcommands, and -h works too', async () => {
    const r = await pbas('backbone', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/pbas backbone list .*\n.*pbas backbone fetch ARCH.*\n.*pbas backbone import FILE/)
    expect((await pbas('dataset', '-h')).stdout).toContain('pbas dataset check DIR')
    const train = (await pbas('train', '-h')).stdout
    // The defaults are those of the preset used without --preset (quick: built-in ResNet18), and the help lists the config keys itself.
    expect(train).toMatch(/--epochs N +training epochs \(default: 16 \(--preset quick; --preset paper: 640\)/)
    expect(train).toMatch(/--preset paper\|quick +quick: ResNet18 \(ImageNet weights built in, works offline\)[\s\S]*\(default: quick\)/)
    expect(train).toMatch(/config keys \(--config cfg\.json\), with their values under --preset quick:\n {2}backbone=resnet18 taps=null imageSize=256 /)
    expect(train).not.toContain('src/main/engine')
  })
})

describe('pbas train / eval / infer / metrics', () => {
  it('metrics reproduces the reference file with the eval --json keys', async () => {
    const r = await pbas('metrics', referencePath('metrics.json'))
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout)
    expect(Object.keys(m)).toEqual(['image_auroc', 'image_ap', 'pixel_auroc', 'pixel_ap', 'pixel_pro', 'images_per_second'])
    const want = readReference<{ expected: Record<string, number> }>('metrics.json').expected
    for (const k of ['image_auroc', 'image_ap', 'pixel_auroc', 'pixel_ap', 'pixel_pro']) expect(m[k], k).toBeCloseTo(want[k], 9)
  })

  it('trains a tiny model, evaluates it and writes heat maps', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { writeSyntheticProduct } = await import('../engine/demo/synthetic-product')
    const dir = await mkdtemp(join(tmpdir(), 'pbas-cli-'))
    await writeSyntheticProduct(join(dir, 'p'), { size: 64, trainGood: 8, testGood: 2, testScratch: 2, testDent: 2, seed: 1 })
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ pretrainDim: 64, targetDim: 64, discHidden: 16, batchSize: 4, stopRule: 'budget' }))
    const bb = BUILT_IN_RESNET18
    // No --preset and no --backbone, on a machine with no stored weights: the built-in ResNet18 (a newcomer offline).
    const t = await pbas('train', '--data', join(dir, 'p'), '--out', join(dir, 'm'), '--config', join(dir, 'cfg.json'), '--epochs', '2', '--image-size', '64', '--json', { PBAS_DATA_DIR: join(dir, 'empty-data') })
    expect([t.code, t.stderr]).toEqual([0, expect.anything()])
    const { readModelMeta } = await import('../engine/model/model-file')
    expect((await readModelMeta(join(dir, 'm'))).backbone).toMatchObject({ spec: 'resnet18' })
    const lines = t.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.filter((l) => l.kind === 'step')).toHaveLength(4)
    expect(lines[lines.length - 1]).toMatchObject({ kind: 'done', epochs: 2, selectedEpoch: 2 })
    const e = await pbas('eval', '--model', join(dir, 'm'), '--data', join(dir, 'p'), '--json')
    // The six figures of `pbas metrics`, then what they mean at the line (issue 9).
    expect(Object.keys(JSON.parse(e.stdout))).toEqual(['image_auroc', 'image_ap', 'pixel_auroc', 'pixel_ap', 'pixel_pro', 'images_per_second', 'false_reject_rate', 'defect_recall', 'tpr_at_1pct_fpr'])
    const i = await pbas('infer', '--model', join(dir, 'm'), join(dir, 'p/test/dent/000.png'), '--heatmaps', join(dir, 'h'), '--json')
    const row = JSON.parse(i.stdout)
    expect(['pass', 'review', 'fail']).toContain(row.verdict)
    expect(existsSync(row.heatmap)).toBe(true)
    // One unreadable file is reported and the others are still scored; two images named alike keep two heat maps.
    const { copyFile, readFile } = await import('node:fs/promises')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(join(dir, 'other'))
    await copyFile(join(dir, 'p/test/good/000.png'), join(dir, 'other/000.png'))
    await writeFile(join(dir, 'broken.png'), 'not a png')
    const many = await pbas('infer', '--model', join(dir, 'm'), join(dir, 'p/test/dent/000.png'), join(dir, 'broken.png'), join(dir, 'other/000.png'), '--heatmaps', join(dir, 'h2'), '--json')
    expect(many.code).toBe(1)
    const rows = many.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.filter((r) => r.error).map((r) => r.path)).toEqual([join(dir, 'broken.png')])
    expect(rows.filter((r) => r.heatmap).map((r) => r.heatmap.slice(join(dir, 'h2').length + 1))).toEqual(['000_heatmap.png', '000_heatmap-2.png'])
    // A damaged weights file is refused by every command that loads the model, exit 1, with the file named.
    const weights = join(dir, 'm', 'weights.pbasw')
    const good = await readFile(weights)
    const flipped = Buffer.from(good)
    flipped[flipped.length - 3] ^= 0x40
    await writeFile(weights, flipped)
    for (const cmd of [['eval', '--data', join(dir, 'p')], ['infer', join(dir, 'p/test/dent/000.png')]]) {
      const r = await pbas(cmd[0], '--model', join(dir, 'm'), ...cmd.slice(1))
      expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/m\/weights\.pbasw: its checksum does not match the one in model\.json/)])
    }
    await writeFile(weights, good)
    // A run interrupted after its first checkpoint (Ctrl-C), then the same --out on other images: refused, pointing to --restart.
    // 20 epochs with a checkpoint every 5: the Ctrl-C after the first lands long before training ends.
    const args = ['--config', join(dir, 'cfg.json'), '--backbone', bb, '--epochs', '20', '--image-size', '64']
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [BIN, 'train', '--data', join(dir, 'p'), '--out', join(dir, 'r'), ...args, '--json'], { env: { ...process.env, PBAS_BACKEND: 'wasm' } })
    let seen = ''
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    child.stdout.on('data', (b: Buffer) => {
      seen += b.toString()
      // One Ctrl-C: the first cancels cleanly (exit 130); a second would be the default, abrupt SIGINT.
      if (seen.includes('"kind":"checkpoint"') && !child.killed) child.kill('SIGINT')
    })
    expect(await exit).toBe(130)
    const { cp } = await import('node:fs/promises')
    await cp(join(dir, 'p'), join(dir, 'p2'), { recursive: true })
    await copyFile(join(dir, 'p2/train/good/001.png'), join(dir, 'p2/train/good/000.png'))
    const other = await pbas('train', '--data', join(dir, 'p2'), '--out', join(dir, 'r'), ...args)
    expect([other.code, other.stderr]).toEqual([1, expect.stringMatching(/was written for other training images .*--restart/)])
    const resumed = await pbas('train', '--data', join(dir, 'p'), '--out', join(dir, 'r'), ...args)
    expect([resumed.code, resumed.stderr]).toEqual([0, expect.stringMatching(/resuming after epoch \d+ of 20/)])
    const restarted = await pbas('train', '--data', join(dir, 'p2'), '--out', join(dir, 'r'), ...args, '--restart')
    expect([restarted.code, restarted.stderr]).toEqual([0, expect.not.stringMatching(/resuming/)])
    await rm(dir, { recursive: true })
  })
})

describe('pbas demo (the README first command runs it)', () => {
  it('generates, checks, trains, evaluates and writes heat maps and a summary, offline', async () => {
    const { mkdtemp, rm, readdir, readFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const dir = await mkdtemp(join(tmpdir(), 'pbas-demo-'))
    // An empty data folder: no stored weights, as on a fresh machine; the built-in ResNet18 weights are used.
    const r = await pbas('demo', '--out', dir, '--epochs', '3', '--results', join(dir, 'results.json'), { PBAS_DATA_DIR: join(dir, 'data') })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/why: the built-in ResNet18 ImageNet weights/)
    expect(r.stdout).toMatch(/backbone: built-in resnet18 ImageNet weights \(sha256 eb1bd860\)/)
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'))
    expect(summary).toMatchObject({ epochs: 3, backend: 'wasm', backbone: 'resnet18', imagenetWeights: true, backboneWeights: { origin: 'built-in' }, counts: { testParts: 26, defective: 16 } })
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'))
    expect(results).toMatchObject({ benchmark: 'demo', command: 'npm run bench:demo', image_auroc: summary.image_auroc, counts: summary.counts, machine: { cores: expect.any(Number) } })
    expect(results.verdicts).toBeUndefined()
    expect(summary.verdicts).toHaveLength(26)
    expect(typeof summary.image_auroc).toBe('number')
    expect((await readdir(join(dir, 'heatmaps'))).length).toBe(26)
    await rm(dir, { recursive: true })
  })
})
