// Evaluations and review as the engine writes them and the renderer shows them (plain objects).

/** One scored image of an evaluation. `label` is null for unlabelled folders. */
export interface ReviewItem {
  index: number
  path: string
  score: number
  label: 'good' | 'defect' | null
  defectType: string | null
  hasMask: boolean
  /** the most similar good training image (by its downscaled pixels), for side-by-side review */
  nearestPath: string | null
}

/** The five metrics of the paper, speed, and the decision figures at the line; null where labels or masks do not allow them. */
export interface ReviewMetrics {
  image_auroc: number | null
  image_ap: number | null
  pixel_auroc: number | null
  pixel_ap: number | null
  pixel_pro: number | null
  images_per_second: number
  /** at the model's fail threshold: share of good parts failed (false rejects) */
  false_reject_rate: number | null
  /** at the model's fail threshold: share of defective parts failed */
  defect_recall: number | null
  /** defect recall when at most 1 % of good parts are rejected (TPR at FPR = 1 %) */
  tpr_at_1pct_fpr: number | null
}

/** A threshold as the engine reports it (a part is flagged when score >= value). */
export interface ThresholdValue {
  mode: 'f1-max' | 'fpr' | 'manual'
  value: number
  achieved: number
}

/** What review.json holds: everything about an evaluation except the per-image pictures. */
export interface ReviewSummary {
  formatVersion: 1
  createdAt: string
  source: { data: string; category?: string; kind: 'test-split' | 'folder' }
  imageSize: number
  /** heat maps are stored as 8-bit images scaled from this score range (fixed across images so they compare) */
  mapRange: { lo: number; hi: number }
  metrics: ReviewMetrics | null
  /** images that could not be read (left out of scores and metrics), with the reason */
  skipped: { path: string; message: string }[]
  /** defects left out of the pixel metrics because their mask is missing or unreadable */
  maskProblems?: { path: string; message: string }[]
  /** whether the good parts scored like the model's calibration images (labelled evaluations of calibrated models) */
  drift?: import('../calibration/conformal').DriftCheck | null
  /** image-level curves (points as [x, y]) when labels exist */
  curves: { roc: [number, number][]; pr: [number, number][] } | null
  thresholds: {
    /** the model's own threshold and review band, set on good images it did not train on (see `calibration`) */
    model: {
      default: ThresholdValue
      band: { review: number; fail: number }
      /** which good images set it */
      source: string
      /** the calibration behind it: images, the promised false-reject bound, the interval (absent for older models) */
      calibration?: import('./calibration').Calibration
      /** the model's calibration revision the thresholds come from */
      revision?: number
    }
    f1: ThresholdValue | null
  }
  items: ReviewItem[]
}

/** The threshold a reviewer settled on for an evaluation (saved with it; used by reports). */
export interface ChosenThreshold {
  mode: 'f1-max' | 'fpr' | 'manual'
  value: number
  /** the two-threshold review band: pass below `review`, review in [review, value), fail at or above `value` */
  review: number
  /** the false-reject target used in fpr mode */
  fprTarget?: number
}

/** A reviewer's call on one image. */
export type VerdictValue = 'defect' | 'good' | 'unsure'

/** A saved verdict: who decided and when. */
export interface Verdict {
  imagePath: string
  verdict: VerdictValue
  reviewer: string
  at: string
}

/** An evaluation of a run's model on a test split or a folder, as the workspace lists it. */
export interface EvaluationRecord {
  id: string
  runId: string
  state: import('./job').JobState
  source: string
  category?: string
  dir: string
  createdAt: string
  error?: string
  threshold?: ChosenThreshold
  metrics?: ReviewMetrics | null
  images?: number
}

/** Pictures of one reviewed image, as data URLs. */
export interface ReviewImage {
  image: string
  /** 8-bit grey heat map, scaled from the evaluation's mapRange */
  map: string
  mask: string | null
  nearest: string | null
  /** the part's own photo at its own resolution, with where the network input (image, map, mask) lies on it; null when the file is gone */
  photo: ReviewPhoto | null
  /** the region the model inspects, in the photo's own pixels (null: the whole photo) */
  region: import('../image/region').InspectionRegion | null
}

/** A reviewed part's photo as the camera took it (lossless PNG of its decoded pixels) and the network input's window on it. */
export interface ReviewPhoto {
  url: string
  width: number
  height: number
  /** photo pixels per source pixel: 1, or below 1 when a very large photo was scaled down to be shown */
  scale: number
  /** the square the network saw, in photo pixels (may reach past the photo's edges when the input was padded) */
  input: { x: number; y: number; w: number; h: number }
}
