// Restricted Python unpickler: enough of protocols 2-5 for PyTorch checkpoints, no arbitrary code.

/** A reference to a Python global (module.name) that the caller's resolver did not map. */
export interface PyGlobal {
  kind: 'global'
  module: string
  name: string
}

/** What the caller supplies: how to turn globals and persistent ids into values. */
export interface UnpickleHooks {
  /** Maps a global to a value; callable values are invoked by REDUCE / NEWOBJ. Throw to refuse. */
  findClass(module: string, name: string): unknown
  /** Resolves a persistent id (PyTorch uses them for tensor storages). */
  persistentLoad?(pid: unknown): unknown
}

/** Thrown for malformed or disallowed pickles. */
export class PickleError extends Error {}

/** A pickle that asks to run code we never run; worth saying plainly (it may be an attack, not damage). */
export class PickleRefused extends PickleError {}

/**
 * Reads one pickle starting at `offset`; returns the value and the offset after STOP.
 * Python dicts become Maps (keys may be tuples or numbers); tuples and lists become arrays.
 */
export function unpickle(buf: Uint8Array, hooks: UnpickleHooks, offset = 0): { value: unknown; end: number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const td = new TextDecoder()
  let p = offset
  let stack: unknown[] = []
  const metastack: unknown[][] = []
  const memo = new Map<number, unknown>()
  const need = (n: number) => {
    if (p + n > buf.length) throw new PickleError('pickle data ended early (file truncated?)')
  }
  const u8 = () => (need(1), buf[p++])
  const u16 = () => (need(2), (p += 2), view.getUint16(p - 2, true))
  const u32 = () => (need(4), (p += 4), view.getUint32(p - 4, true))
  const i32 = () => (need(4), (p += 4), view.getInt32(p - 4, true))
  const bytes = (n: number) => (need(n), (p += n), buf.subarray(p - n, p))
  const str = (n: number) => td.decode(bytes(n))
  const popMark = (): unknown[] => {
    const items = stack
    stack = metastack.pop() ?? []
    return items
  }
  const call = (fn: unknown, args: unknown[]): unknown => {
    if (typeof fn !== 'function') {
      const g = fn as PyGlobal
      throw new PickleRefused(`refusing to call ${g?.module ?? '?'}.${g?.name ?? String(fn)} (not an allowed tensor or container type)`)
    }
    return fn(...args)
  }
  const setItems = (target: unknown, kv: unknown[]) => {
    if (!(target instanceof Map)) throw new PickleError('SETITEMS on a non-dict')
    for (let i = 0; i < kv.length; i += 2) target.set(kv[i], kv[i + 1])
  }
  for (;;) {
    const op = u8()
    switch (op) {
      case 0x80: u8(); break // PROTO
      case 0x95: p += 8; break // FRAME
      case 0x2e: return { value: stack.pop(), end: p } // STOP
      case 0x28: metastack.push(stack); stack = []; break // MARK
      case 0x7d: stack.push(new Map()); break // EMPTY_DICT
      case 0x5d: stack.push([]); break // EMPTY_LIST
      case 0x29: stack.push([]); break // EMPTY_TUPLE
      case 0x8f: stack.push(new Set()); break // EMPTY_SET
      case 0x74: { const t = popMark(); stack.push(t); break } // TUPLE (pop first: `stack` is reassigned)
      case 0x6c: { const l = popMark(); stack.push(l); break } // LIST
      case 0x64: { const kv = popMark(); const m = new Map(); setItems(m, kv); stack.push(m); break } // DICT
      case 0x85: stack.push([stack.pop()]); break // TUPLE1
      case 0x86: { const b = stack.pop(); const a = stack.pop(); stack.push([a, b]); break } // TUPLE2
      case 0x87: { const c = stack.pop(); const b = stack.pop(); const a = stack.pop(); stack.push([a, b, c]); break }
      case 0x4e: stack.push(null); break // NONE
      case 0x88: stack.push(true); break // NEWTRUE
      case 0x89: stack.push(false); break // NEWFALSE
      case 0x4a: stack.push(i32()); break // BININT
      case 0x4b: stack.push(u8()); break // BININT1
      case 0x4d: stack.push(u16()); break // BININT2
      case 0x8a: { // LONG1
        const n = u8()
        const b = bytes(n)
        let v = 0n
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i])
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n)
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v)
        break
      }
      case 0x47: need(8); stack.push(view.getFloat64(p, false)); p += 8; break // BINFLOAT (big-endian)
      case 0x58: stack.push(str(u32())); break // BINUNICODE
      case 0x8c: stack.push(str(u8())); break // SHORT_BINUNICODE
      case 0x8d: { need(8); const n = Number(view.getBigUint64(p, true)); p += 8; stack.push(str(n)); break }
      case 0x54: stack.push(str(i32())); break // BINSTRING
      case 0x55: stack.push(str(u8())); break // SHORT_BINSTRING
      case 0x42: stack.push(bytes(u32())); break // BINBYTES
      case 0x43: stack.push(bytes(u8())); break // SHORT_BINBYTES
      case 0x71: memo.set(u8(), stack[stack.length - 1]); break // BINPUT
      case 0x72: memo.set(u32(), stack[stack.length - 1]); break // LONG_BINPUT
      case 0x94: memo.set(memo.size, stack[stack.length - 1]); break // MEMOIZE
      case 0x68: stack.push(memo.get(u8())); break // BINGET
      case 0x6a: stack.push(memo.get(u32())); break // LONG_BINGET
      case 0x63: { // GLOBAL "module\nname\n"
        const readLine = () => {
          const start = p
          while (p < buf.length && buf[p] !== 0x0a) p++
          return td.decode(buf.subarray(start, p++))
        }
        const module = readLine()
        const name = readLine()
        stack.push(hooks.findClass(module, name))
        break
      }
      case 0x93: { const name = stack.pop() as string; const module = stack.pop() as string; stack.push(hooks.findClass(module, name)); break }
      case 0x52: { const args = stack.pop() as unknown[]; const fn = stack.pop(); stack.push(call(fn, args)); break } // REDUCE
      case 0x81: { const args = stack.pop() as unknown[]; const cls = stack.pop(); stack.push(call(cls, args)); break } // NEWOBJ
      case 0x62: { // BUILD: state for an object; containers keep theirs (e.g. state_dict._metadata) as a property
        const state = stack.pop()
        const obj = stack[stack.length - 1]
        if (obj && typeof obj === 'object') (obj as { __state__?: unknown }).__state__ = state
        break
      }
      case 0x73: { const v = stack.pop(); const k = stack.pop(); setItems(stack[stack.length - 1], [k, v]); break } // SETITEM
      case 0x75: { const kv = popMark(); setItems(stack[stack.length - 1], kv); break } // SETITEMS
      case 0x61: { const v = stack.pop(); (stack[stack.length - 1] as unknown[]).push(v); break } // APPEND
      case 0x65: { const items = popMark(); (stack[stack.length - 1] as unknown[]).push(...items); break } // APPENDS
      case 0x90: { const items = popMark(); const s = stack[stack.length - 1] as Set<unknown>; items.forEach((i) => s.add(i)); break }
      case 0x51: { // BINPERSID
        const pid = stack.pop()
        if (!hooks.persistentLoad) throw new PickleError('persistent id without a loader')
        stack.push(hooks.persistentLoad(pid))
        break
      }
      case 0x30: stack.pop(); break // POP
      case 0x31: popMark(); break // POP_MARK
      case 0x32: stack.push(stack[stack.length - 1]); break // DUP
      default:
        throw new PickleError(`unsupported pickle opcode 0x${op.toString(16)} at byte ${p - 1}`)
    }
  }
}
