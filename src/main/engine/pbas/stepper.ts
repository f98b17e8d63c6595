// What the training loop needs from a compute path: steps, projections, validation, state in and out.
import type { NamedArray } from '../util/tensor-bundle'
import type { AdamState } from './adam'
import type { StepStats } from './train-step'
import type { FeatureSource } from '../features/feature-source'

/** A PBAS trainer on one runtime (tfjs with autodiff, or onnxruntime with the hand-derived step graph). */
export interface Stepper {
  readonly runtime: string
  /** One training step on `rows` patch vectors (row-major [rows, D]). */
  step(x: Float32Array, rows: number, seed: number): Promise<StepStats>
  /** u = x Wp + bp with the current projector. */
  project(x: Float32Array, rows: number): Promise<Float32Array>
  /** The nearest row of centre `c` [P, D] for each row of `u` (the step's own match; absent: the tfjs matchRows). */
  nearest?(c: Float32Array, u: Float32Array): Promise<Int32Array>
  /** Fixes the centre [P, D] used by steps and validation. */
  setCentre(c: Float32Array): void
  /** Mean over images of L_c + L_n with eval-mode batch norm. */
  validationLoss(features: readonly Float32Array[] | FeatureSource): Promise<number>
  exportParams(): Promise<Record<string, NamedArray>>
  loadParams(arrays: Record<string, NamedArray>): void
  optimizerStates(): Promise<{ projector: AdamState; discriminator: AdamState }>
  loadOptimizerStates(s: { projector: AdamState; discriminator: AdamState }): void
  dispose(): void
}
