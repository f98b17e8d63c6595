import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chooseDemoBackbone } from './choose-backbone'
import { importBackbone } from '../backbone/weight-store'
import { REPO_ROOT } from '../../../test-support/shared'
import { writeUserResnet18 } from '../../../test-support/user-weights'

const RESOURCES = join(REPO_ROOT, 'resources')
const dirs: string[] = []
const temp = async () => dirs[dirs.push(await mkdtemp(join(tmpdir(), 'pbas-demo-bb-'))) - 1]
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('the demo backbone', () => {
  it('is the built-in ResNet18 on a fresh machine, your stored one once you import one, random only without resources', async () => {
    const data = await temp()
    expect(await chooseDemoBackbone(data, RESOURCES, false)).toMatchObject({ spec: 'resnet18', imagenet: true, weights: { origin: 'built-in' }, why: expect.stringMatching(/^the built-in ResNet18 ImageNet weights/) })
    await importBackbone(writeUserResnet18(join(await temp(), 'mine.safetensors')), data)
    expect(await chooseDemoBackbone(data, RESOURCES, false)).toMatchObject({ spec: 'resnet18', weights: { origin: 'store' }, why: expect.stringMatching(/take precedence over the built-in copy/) })
    const bare = await temp()
    expect(await chooseDemoBackbone(bare, bare, false)).toMatchObject({ spec: 'random:resnet18', imagenet: false, why: expect.stringMatching(/damaged installation/) })
  })
})
