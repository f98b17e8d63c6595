// Reader for .safetensors files (8-byte header length, JSON header, raw little-endian data).
import { decodeElements, numel, type StateDict, type WeightDtype } from './host-tensor'

const DTYPES: Record<string, WeightDtype> = {
  F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64',
  I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
}

/** True when the buffer looks like a safetensors file (plausible header length followed by '{'). */
export function isSafetensors(buf: Uint8Array): boolean {
  if (buf.length < 10) return false
  const n = Number(new DataView(buf.buffer, buf.byteOffset).getBigUint64(0, true))
  return n > 1 && n < buf.length && buf[8] === 0x7b
}

/** Parses a safetensors file held in memory. */
export function readSafetensors(buf: Uint8Array): StateDict {
  const headerLen = Number(new DataView(buf.buffer, buf.byteOffset).getBigUint64(0, true))
  if (8 + headerLen > buf.length) throw new Error('safetensors header runs past the end of the file (truncated?)')
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + headerLen))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >
  const base = 8 + headerLen
  const out: StateDict = new Map()
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue
    const dtype = DTYPES[t.dtype]
    if (!dtype) throw new Error(`tensor ${name} has unsupported dtype ${t.dtype}`)
    const [start, end] = t.data_offsets
    if (base + end > buf.length) throw new Error(`tensor ${name} runs past the end of the file (truncated?)`)
    const count = numel(t.shape)
    out.set(name, { dtype, shape: t.shape, data: decodeElements(buf.subarray(base + start, base + end), dtype, count) })
  }
  return out
}
