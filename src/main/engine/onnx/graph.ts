// Builds ONNX models (opset 17) from nodes and float32 initializers, for onnxruntime.
import { Pb } from './protobuf'

type AttrValue = number | number[] | { float: number } | { str: string }

/** An ONNX graph under construction. */
export class OnnxGraph {
  private readonly nodes: Pb[] = []
  private readonly inits: Pb[] = []
  private readonly inputs: Pb[] = []
  private readonly outputs: Pb[] = []
  private counter = 0

  /** Fresh unique value name. */
  name(prefix = 't'): string {
    return `${prefix}_${this.counter++}`
  }

  private static valueInfo(name: string, dims: (number | string)[]): Pb {
    const shape = new Pb()
    for (const d of dims) shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d))
    const tensorType = new Pb().int(1, 1).msg(2, shape)
    return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType))
  }

  /** Declares a float32 graph input. */
  input(name: string, dims: (number | string)[]): string {
    this.inputs.push(OnnxGraph.valueInfo(name, dims))
    return name
  }

  /** Declares a float32 graph output. */
  output(name: string, dims: (number | string)[]): void {
    this.outputs.push(OnnxGraph.valueInfo(name, dims))
  }

  /** Adds a float32 constant (weights) and returns its name. */
  init(data: Float32Array, dims: number[], prefix = 'w'): string {
    const name = this.name(prefix)
    const t = new Pb()
    for (const d of dims) t.int(1, d)
    t.int(2, 1).str(8, name).bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    this.inits.push(t)
    return name
  }

  /** Adds an int64 constant (shapes, axes). */
  initInt64(values: number[], prefix = 'i'): string {
    const name = this.name(prefix)
    const raw = new BigInt64Array(values.map((v) => BigInt(v)))
    this.inits.push(new Pb().int(1, values.length).int(2, 7).str(8, name).bytes(9, new Uint8Array(raw.buffer)))
    return name
  }

  /** Adds a node; returns its (first) output name. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output = this.name(op.toLowerCase())): string {
    const n = new Pb()
    for (const i of inputs) n.str(1, i)
    n.str(2, output).str(3, this.name('n')).str(4, op)
    for (const [k, v] of Object.entries(attrs)) {
      const a = new Pb().str(1, k)
      if (Array.isArray(v)) {
        for (const x of v) a.int(8, x)
        a.int(20, 7)
      } else if (typeof v === 'object' && 'str' in v) a.str(4, v.str).int(20, 3)
      else if (typeof v === 'object') a.float(2, v.float).int(20, 1)
      else a.int(3, v).int(20, 2)
      n.msg(5, a)
    }
    this.nodes.push(n)
    return output
  }

  /** Serialises the model; `props` become the model's metadata_props (key/value strings any ONNX reader shows). */
  encode(props: Record<string, string> = {}): Uint8Array {
    const g = new Pb()
    for (const n of this.nodes) g.msg(1, n)
    g.str(2, 'pbas')
    for (const i of this.inits) g.msg(5, i)
    for (const i of this.inputs) g.msg(11, i)
    for (const o of this.outputs) g.msg(12, o)
    const m = new Pb().int(1, 8).str(2, 'pbas-inspect').msg(7, g).msg(8, new Pb().str(1, '').int(2, 17))
    for (const [k, v] of Object.entries(props)) m.msg(14, new Pb().str(1, k).str(2, v))
    return m.finish()
  }
}
