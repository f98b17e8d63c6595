// torchvision's published ImageNet weights for the architectures we build, with their hash prefixes.
import type { ResNetArch } from './resnet-spec'

/** Official file names; torchvision puts the first hex digits of the file's sha256 in the name. */
export const TORCHVISION_FILES: Record<ResNetArch, string> = {
  resnet18: 'resnet18-f37072fd.pth',
  resnet50: 'resnet50-0676ba61.pth',
  wide_resnet50_2: 'wide_resnet50_2-95faca4d.pth',
}

/** Base address of torchvision's weights; PBAS_WEIGHTS_BASE_URL points elsewhere (a mirror, or a test server). */
export function weightsBaseUrl(): string {
  return (process.env.PBAS_WEIGHTS_BASE_URL ?? 'https://download.pytorch.org/models').replace(/\/+$/, '')
}

/** The sha256 prefix that torch.hub checks, taken from a file name like name-<hex>.pth (or null). */
export function hashPrefixFromName(fileName: string): string | null {
  const m = /-([a-f0-9]{6,})\.[a-z]+$/.exec(fileName)
  return m ? m[1] : null
}
