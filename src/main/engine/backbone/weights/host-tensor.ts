// Plain host-memory tensors as read from weight files, before they become tfjs tensors.

/** Element types found in PyTorch and safetensors files. */
export type WeightDtype = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool'

/** A tensor in host memory; floating types are widened to float32, integers stored exactly as float64. */
export interface HostTensor {
  dtype: WeightDtype
  shape: number[]
  data: Float32Array | Float64Array
}

/** Named tensors in file order. */
export type StateDict = Map<string, HostTensor>

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: Record<WeightDtype, number> = {
  float32: 4, float16: 2, bfloat16: 2, float64: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1
  const e = (h >> 10) & 0x1f
  const f = h & 0x3ff
  if (e === 0) return s * f * 2 ** -24
  if (e === 31) return f ? NaN : s * Infinity
  return s * (1 + f / 1024) * 2 ** (e - 15)
}

/**
 * Decodes `count` little-endian elements of `dtype` at byte `offset`, reading element i from
 * position `index(i)` (in elements), so strided views and shared storages come out right.
 */
export function decodeElements(
  bytes: Uint8Array,
  dtype: WeightDtype,
  count: number,
  index: (i: number) => number = (i) => i,
  byteOffset = 0,
): Float32Array | Float64Array {
  if (dtype === 'float32' && arguments.length < 4) {
    // Fast path for the common contiguous float32 case: one copy, no per-element decoding.
    // (Buffer#slice would return a view of Node's shared pool, so copy explicitly.)
    const copy = new Uint8Array(count * 4)
    copy.set(bytes.subarray(byteOffset, byteOffset + count * 4))
    return new Float32Array(copy.buffer)
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, bytes.byteLength - byteOffset)
  const isInt = !dtype.startsWith('float') && dtype !== 'bfloat16'
  const out = isInt ? new Float64Array(count) : new Float32Array(count)
  const sz = DTYPE_SIZE[dtype]
  for (let i = 0; i < count; i++) {
    const at = index(i) * sz
    switch (dtype) {
      case 'float32': out[i] = v.getFloat32(at, true); break
      case 'float64': out[i] = v.getFloat64(at, true); break
      case 'float16': out[i] = halfToFloat(v.getUint16(at, true)); break
      case 'bfloat16': {
        const tmp = new DataView(new ArrayBuffer(4))
        tmp.setUint32(0, v.getUint16(at, true) << 16, true)
        out[i] = tmp.getFloat32(0, true)
        break
      }
      case 'int64': out[i] = Number(v.getBigInt64(at, true)); break
      case 'int32': out[i] = v.getInt32(at, true); break
      case 'int16': out[i] = v.getInt16(at, true); break
      case 'int8': out[i] = v.getInt8(at); break
      case 'uint8': case 'bool': out[i] = v.getUint8(at); break
    }
  }
  return out
}

/** Number of elements for a shape ([] is a scalar with one element). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}
