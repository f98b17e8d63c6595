// Reader for PyTorch state_dict files: the zip format (torch >= 1.6) and the legacy pickle stream.
import { isZip, readZipDirectory, readZipEntry } from './zip-reader'
import { unpickle, PickleError } from './pickle'
import { decodeElements, numel, DTYPE_SIZE, type HostTensor, type StateDict, type WeightDtype } from './host-tensor'

const STORAGE_DTYPES: Record<string, WeightDtype> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16',
  LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8',
  ByteStorage: 'uint8', BoolStorage: 'bool',
}

interface StorageRef {
  kind: 'storage'
  dtype: WeightDtype
  key: string
  /** byte offset into the root storage's bytes (legacy views), else 0 */
  byteOffset: number
  bytes: () => Uint8Array
}

/** Tensors are decoded lazily: legacy files store the bytes after the object that references them. */
interface TensorRef {
  kind: 'tensor'
  build: () => HostTensor
}

function rebuildTensor(storage: StorageRef, offset: number, size: number[], stride: number[]): TensorRef {
  return { kind: 'tensor', build: () => decodeTensor(storage, offset, size, stride) }
}

function decodeTensor(storage: StorageRef, offset: number, size: number[], stride: number[]): HostTensor {
  const count = numel(size)
  const contiguous = size.every((_, d) => size[d] === 1 || stride[d] === size.slice(d + 1).reduce((a, b) => a * b, 1))
  let index: ((i: number) => number) | undefined
  if (!contiguous) {
    // Walk the logical index in row-major order and map it through the strides (transposed views etc.).
    index = (i: number) => {
      let at = offset
      for (let d = size.length - 1; d >= 0; d--) {
        at += (i % size[d]) * stride[d]
        i = Math.floor(i / size[d])
      }
      return at
    }
  }
  const bytes = storage.bytes()
  const data = index
    ? decodeElements(bytes, storage.dtype, count, index, storage.byteOffset)
    : decodeElements(bytes, storage.dtype, count, (i) => offset + i, storage.byteOffset)
  return { dtype: storage.dtype, shape: size, data }
}

function findClass(module: string, name: string): unknown {
  const full = `${module}.${name}`
  if (full === 'collections.OrderedDict') return () => new Map()
  if (full === 'torch._utils._rebuild_tensor_v2' || full === 'torch._utils._rebuild_tensor')
    return (s: StorageRef, off: number, size: number[], stride: number[]) => rebuildTensor(s, off, size, stride)
  if (full === 'torch._utils._rebuild_parameter' || full === 'torch._utils._rebuild_parameter_with_state')
    return (t: TensorRef) => t
  if (module === 'torch' && name in STORAGE_DTYPES) return { kind: 'storage-type', dtype: STORAGE_DTYPES[name] }
  if (module === 'torch' && /^(float|half|bfloat16|double|int|long|bool|uint8|int8|int16|int32|int64|float16|float32|float64)$/.test(name))
    return { kind: 'dtype', name }
  // Anything else (arbitrary classes, functions) is refused: a weights file must not run code.
  return { kind: 'global', module, name }
}

function toStateDict(root: unknown, file: string): StateDict {
  let dict = root
  // Full checkpoints often wrap the weights: {'state_dict': ...} or {'model': ...}.
  if (dict instanceof Map && !([...dict.values()].some((v) => (v as TensorRef)?.kind === 'tensor'))) {
    for (const key of ['state_dict', 'model', 'model_state_dict']) if ((dict as Map<unknown, unknown>).has(key)) dict = (dict as Map<unknown, unknown>).get(key)
  }
  if (!(dict instanceof Map)) throw new Error(`${file} does not contain a state_dict (a mapping of names to tensors)`)
  const out: StateDict = new Map()
  for (const [k, v] of dict) {
    if ((v as TensorRef)?.kind === 'tensor') out.set(String(k), (v as TensorRef).build())
  }
  if (out.size === 0) throw new Error(`${file} contains no tensors`)
  return out
}

function readZipPth(buf: Buffer, file: string): StateDict {
  const entries = readZipDirectory(buf)
  const pkl = [...entries.keys()].find((n) => n.endsWith('data.pkl') && n.split('/').length === 2)
  if (!pkl) throw new Error(`${file} is a zip file but not a PyTorch checkpoint (no <name>/data.pkl)`)
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length)
  const order = entries.get(prefix + 'byteorder')
  if (order && readZipEntry(buf, order).toString() !== 'little') throw new Error(`${file} was saved big-endian; re-save it on a little-endian machine`)
  const storages = new Map<string, Uint8Array>()
  const { value } = unpickle(readZipEntry(buf, entries.get(pkl)!), {
    findClass,
    persistentLoad(pid) {
      const [tag, type, key] = pid as [string, { dtype: WeightDtype }, string]
      if (tag !== 'storage') throw new PickleError(`unknown persistent id ${String(tag)}`)
      const entry = entries.get(`${prefix}data/${key}`)
      if (!entry) throw new Error(`${file} is missing storage ${key}`)
      const ref: StorageRef = {
        kind: 'storage', dtype: type.dtype, key, byteOffset: 0,
        bytes: () => {
          if (!storages.has(key)) storages.set(key, readZipEntry(buf, entry))
          return storages.get(key)!
        },
      }
      return ref
    },
  })
  return toStateDict(value, file)
}

function readLegacyPth(buf: Buffer, file: string): StateDict {
  // Legacy layout: magic, protocol, sys_info, the object, storage keys, then each storage as int64 numel + data.
  let at = 0
  const hooks = { findClass }
  const magic = unpickle(buf, hooks, at)
  if (magic.value !== 0x1950a86a20f9469cfc6cn && magic.value !== Number(0x1950a86a20f9469cfc6cn))
    throw new Error(`${file} is not a PyTorch file (wrong magic number)`)
  at = unpickle(buf, hooks, magic.end).end // protocol version
  at = unpickle(buf, hooks, at).end // sys_info
  const pending: { ref: StorageRef; root: string }[] = []
  const roots = new Map<string, Uint8Array>()
  const obj = unpickle(buf, {
    findClass,
    persistentLoad(pid) {
      const [tag, type, rootKey, , , view] = pid as [string, { dtype: WeightDtype }, string, string, number, [string, number, number] | null]
      if (tag !== 'storage') throw new PickleError(`unknown persistent id ${String(tag)}`)
      const sz = DTYPE_SIZE[type.dtype]
      const ref: StorageRef = {
        kind: 'storage', dtype: type.dtype, key: rootKey, byteOffset: view ? view[1] * sz : 0,
        bytes: () => {
          const b = roots.get(rootKey)
          if (!b) throw new Error(`${file} is missing storage ${rootKey}`)
          return b
        },
      }
      pending.push({ ref, root: rootKey })
      return ref
    },
  }, at)
  const keys = unpickle(buf, hooks, obj.end)
  at = keys.end
  const sizes = new Map(pending.map((p) => [p.root, DTYPE_SIZE[p.ref.dtype]]))
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  for (const key of keys.value as string[]) {
    if (at + 8 > buf.length) throw new Error(`${file} is truncated (storage ${key})`)
    const n = Number(view.getBigInt64(at, true))
    const bytes = n * (sizes.get(key) ?? 4)
    if (at + 8 + bytes > buf.length) throw new Error(`${file} is truncated (storage ${key})`)
    roots.set(key, buf.subarray(at + 8, at + 8 + bytes))
    at += 8 + bytes
  }
  return toStateDict(obj.value, file)
}

/** Reads a PyTorch .pth/.pt state_dict in either on-disk format. */
export function readTorchPth(buf: Buffer, file = 'weights file'): StateDict {
  return isZip(buf) ? readZipPth(buf, file) : readLegacyPth(buf, file)
}
