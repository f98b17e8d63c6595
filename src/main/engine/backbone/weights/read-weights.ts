// Opens any supported weight file (.pth zip or legacy, .safetensors) by content, not by extension.
import { readRegularFile } from '../../util/file-policy'
import { PickleRefused } from './pickle'
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
    // Parser details (opcodes, offsets) would echo the file's bytes back to the caller; say only what it is not.
    if (err instanceof WeightsError) throw err
    if (err instanceof PickleRefused) throw new WeightsError(`Refusing ${file}: ${err.message}. It is not a plain weights file; do not use it.`)
    throw new WeightsError(`Cannot read weights from ${file}: it is not a PyTorch state_dict (.pth) or a .safetensors file, or it is damaged. Download it again or choose the right file.`)
  }
}

/** Reads a weight file from disk. */
export async function readWeights(path: string): Promise<StateDict> {
  return parseWeights(await readRegularFile(path, 'weights'), path)
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
