// What the method gives for one image: its score (Eq. 11), its pixel map (Eq. 12) and the verdict at the model's band.
import type { PreparedImage } from '../image/preprocess'

/** One image's result. `map` is size x size over the network input (see `geometry` to map back). */
export interface Prediction {
  path: string
  score: number
  verdict: 'pass' | 'review' | 'fail'
  map: Float32Array
  size: number
  image: PreparedImage
}
