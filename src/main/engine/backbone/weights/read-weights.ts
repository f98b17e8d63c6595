// Opens any supported weight file (.pth zip or legacy, .safetensors) by content, not by extension.
import { readFile } from 'node:fs/promises'
import { readTorchPth } from './torch-pth'
import { isSafetensors, readSafetensors } from './safetensors'
import type { StateDict } from './host-tensor'
import { InputError } from '../../util/errors'

/** A weights file that cannot be used; the message names the file and what to do. */
export class WeightsError extends InputError {
  constructor(message: string, code: 'invalid-input' | 'not-found' = 'invalid-input') {
    super(message, code)
    this.name = 'WeightsError'
  }
}

/** Parses weights held in memory; `file` is used in error messages only. */
export function parseWeights(buf: Buffer, file: string): StateDict {
  try {
    return isSafetensors(buf) ? readSafetensors(buf) : readTorchPth(buf, file)
  } catch (err) {
    const msg = (err as Error).message
    throw new WeightsError(
      msg.includes(file)
        ? msg
        : `Cannot read weights from ${file}: ${msg}. Expected a PyTorch state_dict (.pth) or a .safetensors file; download it again if it may be damaged.`,
    )
  }
}

/** Reads a weight file from disk. */
export async function readWeights(path: string): Promise<StateDict> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (err) {
    throw new WeightsError(`Cannot open weights file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`)
  }
  return parseWeights(buf, path)
}

/**
 * Checks a state dict against the shapes an architecture needs; lists every missing or mis-shaped
 * key in one error so the user sees the whole problem at once.
 */
export function checkStateDict(dict: StateDict, expected: Map<string, number[]>, file: string): void {
  const missing: string[] = []
  const misshaped: string[] = []
  for (const [key, shape] of expected) {
    const t = dict.get(key)
    if (!t) missing.push(key)
    else if (t.shape.join('x') !== shape.join('x'))
      misshaped.push(`${key}: file has [${t.shape.join(', ')}], expected [${shape.join(', ')}]`)
  }
  if (missing.length || misshaped.length) {
    const parts = [`Weights in ${file} do not fit this architecture.`]
    if (missing.length) parts.push(`Missing keys (${missing.length}): ${missing.join(', ')}`)
    if (misshaped.length) parts.push(`Wrong shapes (${misshaped.length}):\n  ${misshaped.join('\n  ')}`)
    parts.push('Check that the file is for the selected backbone.')
    throw new WeightsError(parts.join('\n'))
  }
}
