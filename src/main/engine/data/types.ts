// Data set model shared by all layouts: samples with split, label, defect type and optional mask.
import { InputError } from '../util/errors'

/** Supported folder layouts. MPDD uses MVTec AD's layout. */
export type LayoutName = 'mvtec' | 'mpdd' | 'visa' | 'plain'

export type Split = 'train' | 'test'

/** One image of a data set. `defectType` is 'good' for normal parts. */
export interface Sample {
  path: string
  split: Split
  label: 'good' | 'defect'
  defectType: string
  maskPath?: string
}

/** A problem found while reading or checking a data set. Errors make the set unusable until fixed. */
export interface DatasetProblem {
  severity: 'error' | 'warning'
  path: string
  message: string
}

/** A listed data set. */
export interface Dataset {
  root: string
  layout: LayoutName
  category?: string
  samples: Sample[]
  /** structural problems found while listing (missing masks, stray masks, empty folders) */
  problems: DatasetProblem[]
}

/** A data set that cannot be used; carries every problem so the user can fix them in one go. */
export class DatasetError extends InputError {
  constructor(
    message: string,
    readonly problems: DatasetProblem[] = [],
    code: 'invalid-input' | 'not-found' = 'invalid-input',
  ) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}` : message, code)
    this.name = 'DatasetError'
  }
}
