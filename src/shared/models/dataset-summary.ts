// What `pbas dataset check` prints and the app's import screen shows: counts, sizes and problems.

/** A problem found in a data set; errors block training until fixed. */
export interface DatasetProblemDto {
  severity: 'error' | 'warning'
  path: string
  message: string
}

/** Image count for one split and defect type ('good' for normal parts). */
export interface SplitCount {
  split: 'train' | 'test'
  defectType: string
  images: number
  masks: number
}

/** A plain-object summary of a data set, safe to send over IPC. */
export interface DatasetSummary {
  root: string
  layout: string
  category?: string
  counts: SplitCount[]
  trainGood: number
  testGood: number
  testDefect: number
  defectTypes: string[]
  imageSizes: { width: number; height: number; count: number }[]
  problems: DatasetProblemDto[]
  /** false when any problem is an error */
  ok: boolean
}
