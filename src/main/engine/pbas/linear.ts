// Dense layers with hand-written gradients that transpose explicitly (wasm's transposed matMul is ~14x slower).
import * as tf from '@tensorflow/tfjs'

type Arg = tf.Tensor | tf.GradSaveFunc

/** tf.customGrad passes a save function after the tensors; keep only the tensors. */
function tensors(args: Arg[]): tf.Tensor[] {
  return args.filter((a): a is tf.Tensor => a instanceof tf.Tensor)
}

/**
 * y = x W (+ b) where the input `x` is a constant (frozen features): gradients only for W and b,
 * so the large dL/dx product is never computed.
 */
export function linearConstInput(x: tf.Tensor2D, W: tf.Variable, b: tf.Variable | null): tf.Tensor2D {
  const f = tf.customGrad((...args: Arg[]) => {
    const [w, bias] = tensors(args) as [tf.Tensor2D, tf.Tensor1D | undefined]
    const value = bias ? tf.add(tf.matMul(x, w), bias) : tf.matMul(x, w)
    return {
      value: value as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const g = dy as tf.Tensor2D
        const dW = tf.matMul(tf.transpose(x), g)
        return bias ? [dW, tf.sum(g, 0)] : [dW]
      },
    }
  })
  return (b ? f(W, b) : f(W)) as tf.Tensor2D
}

/**
 * y = x W (+ b) with gradients for x, W and b, every product written without a transposed operand.
 * The input is usually an intermediate of the forward pass, which tfjs frees before back-propagation
 * unless it is handed to `save`.
 */
export function linear(x: tf.Tensor2D, W: tf.Variable | tf.Tensor2D, b: tf.Variable | tf.Tensor1D | null): tf.Tensor2D {
  const f = tf.customGrad((...args: Arg[]) => {
    const [input, w, bias] = tensors(args) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined]
    const save = args[args.length - 1] as tf.GradSaveFunc
    save([input, w])
    const value = bias ? tf.add(tf.matMul(input, w), bias) : tf.matMul(input, w)
    return {
      value: value as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [input, w] = saved as [tf.Tensor2D, tf.Tensor2D]
        const g = dy as tf.Tensor2D
        const dx = tf.matMul(g, tf.transpose(w))
        const dW = tf.matMul(tf.transpose(input), g)
        return bias ? [dx, dW, tf.sum(g, 0)] : [dx, dW]
      },
    }
  })
  return (b ? f(x, W, b) : f(x, W)) as tf.Tensor2D
}
