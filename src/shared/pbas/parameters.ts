// Every PBAS training parameter once: type, default, group, label, paper symbol, unit, limits and help.
// The engine's resolveConfig and the app's training form both validate from this table.

/** Centre initialisation (Algorithm 1 with either nearest rule, or the Table VI ablations). */
export type CentreInit = 'abl-cosine' | 'abl-euclidean' | 'average' | 'iterative' | 'kmeans'

/** Anomaly feature synthesis: PBAS' AFS (Eq. 7) or SimpleNet-style Gaussian noise (ablation). */
export type Synthesis = 'afs' | 'gaussian'

/** Patch scoring: the discriminator (PBAS) or distance to the nearest centre (Table V, ABL only). */
export type Scoring = 'discriminator' | 'abl-only'

/** When training ends: after the epoch budget, or once the held-out good images' scores settle (the budget as a ceiling). */
export type StopRule = 'budget' | 'converged'

/** How an image is brought to square inputs: centre crop after resize, letterbox padding, stretch, or overlapping tiles at the photo's own resolution. */
export type Fit = 'crop' | 'pad' | 'stretch' | 'tile'

/** Whether a form or file value names a fit. */
export const isFit = (v: unknown): v is Fit => v === 'crop' || v === 'pad' || v === 'stretch' || v === 'tile'

export interface PbasConfig {
  backbone: string
  taps: string[] | null
  imageSize: number
  resize: number
  fit: Fit
  /** fit 'tile': side of each tile in photo pixels (0 = the input size: native resolution) */
  tileSide: number
  patchSize: number
  pretrainDim: number
  targetDim: number
  centreInit: CentreInit
  /** EMA factor of Algorithm 1 */
  beta: number
  synthesis: Synthesis
  /** AFS step alpha (official scripts 0.25; the paper's text says 0.3) */
  alpha: number
  /** std of the Gaussian ablation */
  noiseStd: number
  scoring: Scoring
  discHidden: number
  lrProjector: number
  weightDecayProjector: number
  lrDiscriminator: number
  weightDecayDiscriminator: number
  batchSize: number
  epochs: number
  /** 'converged': stop once the held-out good images' scores are stable (see stop-rule.ts); 'budget': run every epoch */
  stopRule: StopRule
  /** the converged rule never stops before this epoch */
  minEpochs: number
  /** the converged rule compares the last this-many epochs */
  stopWindow: number
  /** the converged rule's largest change of the held-out score figures over the window, in score units (logits) */
  stopTolerance: number
  /** share of each image's patches a step trains on (a random subset per image and step; 1 = all, the paper) */
  patchShare: number
  seed: number
  /** share of good training images held out for model selection (0 = final epoch is the model) */
  validationShare: number
  checkpointEvery: number
  /** Gaussian smoothing of pixel maps (Eq. 12) */
  smoothSigma: number
  /** false-reject target on good images for the default (fail) threshold */
  targetFalseReject: number
  /** share of good images held out (never trained on) to calibrate the thresholds; 0 = calibrate on training images (no bound) */
  calibrationShare: number
  /** hold out at least this many good images for calibration (but never more than a quarter of them) */
  minCalibrationImages: number
}

export type ParamKey = keyof PbasConfig

/** Form sections, in display order. */
export const PARAM_GROUPS = [
  { id: 'data', title: 'Images', help: 'How each photo becomes the model’s square input, and which good images are held out.' },
  { id: 'backbone', title: 'Feature extractor (backbone E_φ)', help: 'The frozen ImageNet network that turns each image into patch features.' },
  { id: 'abl', title: 'Learning what good looks like (ABL)', help: 'Centre features c of good patches, and the projector P_θ that pulls good features towards them.' },
  { id: 'afs', title: 'Made-up defects for training (AFS)', help: 'Synthetic defect features, pushed outwards from the centre along each good feature’s direction (paper Eq. 7).' },
  { id: 'rbo', title: 'Telling good from defect (RBO)', help: 'The discriminator D_ψ, trained on good and made-up defect features, scores each patch.' },
  { id: 'optimisation', title: 'Training steps', help: 'Learning rates (Adam for P_θ, AdamW for D_ψ), batch size, epochs and checkpoints.' },
  { id: 'thresholds', title: 'Thresholds and heat maps', help: 'Heat-map smoothing, and the good images that set the pass/fail threshold.' },
] as const

export type ParamGroup = (typeof PARAM_GROUPS)[number]['id']

/** One parameter's metadata; `min`/`max` are enforced, `typical` is advice only. */
export interface ParamSpec {
  key: ParamKey
  group: ParamGroup
  label: string
  /** the paper's symbol, when it has one */
  symbol?: string
  unit?: string
  kind: 'int' | 'number' | 'enum' | 'text' | 'list'
  /** enforced lower bound (inclusive) */
  min?: number
  /** enforced upper bound (exclusive) */
  below?: number
  /** enforced upper bound (inclusive) */
  max?: number
  /** a range that usually works (a warning outside it, never an error) */
  typical?: [number, number]
  /** a whole number that must be odd */
  odd?: boolean
  options?: readonly { value: string; label: string }[]
  step?: number
  help: string
}

/** The paper's method as its code runs it, with the paper's text for epochs (400; their script: 640). */
export const DEFAULT_CONFIG: PbasConfig = {
  backbone: 'wide_resnet50_2',
  taps: null,
  imageSize: 256,
  resize: 256,
  fit: 'crop',
  tileSide: 0,
  patchSize: 3,
  pretrainDim: 1536,
  targetDim: 1536,
  centreInit: 'abl-cosine',
  beta: 0.1,
  synthesis: 'afs',
  alpha: 0.25,
  noiseStd: 0.015,
  scoring: 'discriminator',
  discHidden: 1024,
  lrProjector: 1e-4,
  weightDecayProjector: 1e-5,
  lrDiscriminator: 2e-4,
  weightDecayDiscriminator: 1e-2,
  batchSize: 8,
  epochs: 400,
  stopRule: 'budget',
  minEpochs: 4,
  stopWindow: 3,
  stopTolerance: 0.2,
  patchShare: 1,
  seed: 0,
  validationShare: 0,
  checkpointEvery: 5,
  smoothSigma: 4,
  targetFalseReject: 0.01,
  calibrationShare: 0.2,
  minCalibrationImages: 8,
}

/**
 * Presets the app offers. The quick one is sized for a 2-core CPU by backbone and epochs, not by feature
 * width: on MVTec bottle, ResNet18 at D = 1536 for 16 epochs (14 min) reached I-AUROC 99.6 / P-AUROC 97.6,
 * while D = 384 with 10x learning rates for 60 epochs (9 min) reached only 95.4 / 90.7. Issue 27: a quarter
 * of each image's patches per step reached the same accuracy at 16 epochs (bottle 99.84 / 97.54), at about a
 * quarter of the step's time, and the converged rule stopped bottle after 8 epochs (99.84 / 97.35); 2x learning
 * rates were noisier (P-AUROC 94.7-97.8 from epoch 7 on), so the paper's rates stay. Issue 23: Quick fits the
 * whole photo by stretching it (bench/results/resolution.json): on bsdata_pitting (576 x 234) the paper's centre
 * crop left 59 % of each photo unseen (I-AUROC 71.4, recall at the threshold 47.3 %); stretch 75.1 / 53.9 % with
 * P-AUROC kept (98.2), pad 87.8 I-AUROC but P-AUROC 87.2 and recall 29.3 %. Square photos are unchanged. Tiles at native resolution
 * gave the best maps (P-AUROC 99.2, PRO 79.8) but I-AUROC 75.3 for 3.4x the training time, so they are offered
 * (and chosen by the train form for defects no 512 px input resolves), not the default.
 */
export const PRESETS: Record<string, Partial<PbasConfig>> = {
  paper: { backbone: 'wide_resnet50_2', imageSize: 288, resize: 288, epochs: 640 },
  quick: { backbone: 'resnet18', imageSize: 256, resize: 256, fit: 'stretch', epochs: 16, stopRule: 'converged', patchShare: 0.25 },
}

/** What the preset picker says about each preset. */
export const PRESET_LABELS: Record<string, string> = {
  quick: 'Quick: CPU-sized (ResNet18, 256 px, whole photo, until settled, at most 16 epochs)',
  paper: 'Paper: WRN50, 288 px, 640 epochs (needs a GPU)',
}

const opts = (...values: [string, string][]) => values.map(([value, label]) => ({ value, label }))

/** Every parameter, in form order within its group. */
export const PARAMETERS: readonly ParamSpec[] = [
  { key: 'imageSize', group: 'data', label: 'Input size', unit: 'px', kind: 'int', min: 1, typical: [64, 512], step: 32, help: 'Side of the square network input H₀ = W₀ (paper 256; their scripts 288). Time grows with its square.' },
  { key: 'resize', group: 'data', label: 'Resize before crop', unit: 'px', kind: 'int', min: 1, typical: [64, 640], step: 32, help: 'Shorter side after resizing, before the centre crop to the input size (raised to the input size when smaller).' },
  { key: 'fit', group: 'data', label: 'Fit to square', kind: 'enum', options: opts(['crop', 'centre crop (paper)'], ['pad', 'pad (keep the whole part)'], ['stretch', 'stretch'], ['tile', 'overlapping tiles (the photo at its own resolution, or a chosen one)']), help: 'How a non-square photo becomes the square input. A centre crop (the paper’s pipeline) never sees the ends of a wide photo; pad and stretch keep the whole photo (stretch gives it more input pixels); tiles score the whole photo as overlapping squares of the tile side, by default at its own resolution (one pass per tile: time and memory grow with the tile count; every photo of a model must have one size).' },
  { key: 'tileSide', group: 'data', label: 'Tile side', unit: 'px', kind: 'int', min: 0, typical: [0, 2048], step: 32, help: 'With tiles: each tile’s side in photo pixels, resized to the input size (0 = the input size, so the model sees the photo’s own pixels; larger tiles see coarser detail, fewer tiles). Tiles overlap by a quarter of a side.' },
  { key: 'validationShare', group: 'data', label: 'Epoch selection share', unit: 'share', kind: 'number', min: 0, below: 0.9, typical: [0, 0.3], step: 0.05, help: 'Above 0: the held-out good images also pick the epoch with the lowest L_c + L_n (and the hold-out is at least this share); 0: the final epoch is the model.' },
  { key: 'backbone', group: 'backbone', label: 'Backbone', kind: 'text', help: 'Frozen ImageNet backbone E_φ: a torchvision architecture, or a model folder.' },
  { key: 'taps', group: 'backbone', label: 'Feature taps', kind: 'list', help: 'Hierarchy levels concatenated (Eq. 4), comma-separated; empty: layer2, layer3 as in the paper.' },
  { key: 'patchSize', group: 'backbone', label: 'Neighbourhood size', symbol: 'p', unit: 'patches', kind: 'int', min: 1, odd: true, typical: [1, 7], step: 2, help: 'Patch size p for feature aggregation (Eq. 2); odd; the paper finds 3 best (Fig. 12b).' },
  { key: 'pretrainDim', group: 'backbone', label: 'Per-level feature width', unit: 'values', kind: 'int', min: 1, typical: [128, 2048], step: 128, help: 'Each hierarchy level is pooled to this width before the levels are combined.' },
  { key: 'targetDim', group: 'backbone', label: 'Feature width', symbol: 'D', unit: 'values', kind: 'int', min: 1, typical: [128, 2048], step: 128, help: 'Width D of the patch features, the projector P_θ and the centre; memory and step time grow with it.' },
  { key: 'centreInit', group: 'abl', label: 'Centre initialisation', kind: 'enum', options: opts(['abl-cosine', 'nearest centre by angle (PBAS, Algorithm 1)'], ['abl-euclidean', 'nearest centre by distance (Algorithm 1)'], ['average', 'one average centre (Table VI)'], ['iterative', 'running average (EMA, Table VI)'], ['kmeans', 'k-means clusters (Table VI)']), help: 'How the centre features c are set before training (Algorithm 1, Table VI).' },
  { key: 'beta', group: 'abl', label: 'EMA smoothing', symbol: 'β', kind: 'number', min: 0, typical: [0.01, 0.5], step: 0.01, help: 'Smoothing factor β of the centre update in Algorithm 1 (paper 0.1).' },
  { key: 'synthesis', group: 'afs', label: 'Synthesis', kind: 'enum', options: opts(['afs', 'pushed out along the boundary (PBAS, AFS)'], ['gaussian', 'random noise (ablation)']), help: 'How anomaly features z are made from normal features u.' },
  { key: 'alpha', group: 'afs', label: 'Anomaly degree', symbol: 'α', kind: 'number', min: 0, typical: [0.05, 1], step: 0.05, help: 'Step α of AFS (Eq. 7): lower finds subtler anomalies (paper text 0.3; its scripts 0.25).' },
  { key: 'noiseStd', group: 'afs', label: 'Noise std (Gaussian only)', symbol: 'σₙ', kind: 'number', min: 0, typical: [0.001, 0.1], step: 0.005, help: 'Standard deviation of the Gaussian-noise ablation; unused with AFS.' },
  { key: 'scoring', group: 'rbo', label: 'Patch scoring', kind: 'enum', options: opts(['discriminator', 'learned discriminator (PBAS, D_ψ)'], ['abl-only', 'distance to the centre (ABL only, Table V)']), help: 'What scores a patch at inference.' },
  { key: 'discHidden', group: 'rbo', label: 'Discriminator width', unit: 'units', kind: 'int', min: 1, typical: [64, 2048], step: 64, help: 'Hidden layer of D_ψ (Linear → BatchNorm → LeakyReLU → Linear; official 1024).' },
  { key: 'lrProjector', group: 'optimisation', label: 'Projector learning rate', unit: 'per step', kind: 'number', min: 0, typical: [1e-6, 1e-2], step: 1e-5, help: 'Adam learning rate of the projector P_θ (paper 10⁻⁴).' },
  { key: 'weightDecayProjector', group: 'optimisation', label: 'Projector weight decay', symbol: 'γ', kind: 'number', min: 0, typical: [0, 1e-2], step: 1e-6, help: 'Regularisation coefficient γ of P_θ (paper 10⁻⁵).' },
  { key: 'lrDiscriminator', group: 'optimisation', label: 'Discriminator learning rate', unit: 'per step', kind: 'number', min: 0, typical: [1e-6, 1e-2], step: 1e-5, help: 'AdamW learning rate of the discriminator D_ψ (paper 2×10⁻⁴).' },
  { key: 'weightDecayDiscriminator', group: 'optimisation', label: 'Discriminator weight decay', symbol: 'δ', kind: 'number', min: 0, typical: [0, 0.1], step: 0.001, help: 'Regularisation coefficient δ of D_ψ (paper 10⁻²).' },
  { key: 'batchSize', group: 'optimisation', label: 'Batch size', unit: 'images', kind: 'int', min: 1, typical: [2, 32], step: 1, help: 'Images per step; also how many images each centre update averages (paper 8, Fig. 12d).' },
  { key: 'epochs', group: 'optimisation', label: 'Epochs', unit: 'passes', kind: 'int', min: 1, typical: [1, 1000], step: 1, help: 'Passes over the good training images (paper 400; Quick 16). Time grows linearly.' },
  { key: 'stopRule', group: 'optimisation', label: 'Stop when', kind: 'enum', options: opts(['budget', 'after every epoch (paper)'], ['converged', 'the held-out good parts’ scores settle (epochs as a ceiling)']), help: 'Converged: after each epoch the held-out good images are scored; training stops once their score spreads changed less than the tolerance over the window (never before the fewest epochs), and the model records why it stopped.' },
  { key: 'minEpochs', group: 'optimisation', label: 'Fewest epochs', unit: 'passes', kind: 'int', min: 1, typical: [1, 100], step: 1, help: 'The converged rule never stops before this epoch.' },
  { key: 'stopWindow', group: 'optimisation', label: 'Stability window', unit: 'epochs', kind: 'int', min: 1, typical: [1, 10], step: 1, help: 'The converged rule compares this epoch with the previous ones over this many epochs (window 3: the last 4 epochs).' },
  { key: 'stopTolerance', group: 'optimisation', label: 'Stability tolerance', unit: 'score units', kind: 'number', min: 0, typical: [0.01, 1], step: 0.01, help: 'Largest change, over the window, of how far the held-out good images’ high scores (highest and median image, 90th and 99th percentile patch) stand above their median patch, in logits, that the converged rule accepts as settled.' },
  { key: 'patchShare', group: 'optimisation', label: 'Patches per step', unit: 'share of each image', kind: 'number', min: 0.001, max: 1, typical: [0.1, 1], step: 0.05, help: 'Each step trains on a random subset of this share of every image’s patches (1 = all, as the paper); a step takes about this share of the time.' },
  { key: 'seed', group: 'optimisation', label: 'Random seed', kind: 'int', min: 0, step: 1, help: 'Seeds the initial weights, the shuffles and the hold-out: the same seed repeats a run.' },
  { key: 'checkpointEvery', group: 'optimisation', label: 'Checkpoint every', unit: 'epochs', kind: 'int', min: 1, typical: [1, 50], step: 1, help: 'A cancelled or crashed run resumes from the last checkpoint; more often costs a little disk time.' },
  { key: 'smoothSigma', group: 'thresholds', label: 'Heat-map smoothing', symbol: 'σ', unit: 'px', kind: 'number', min: 0, typical: [0, 16], step: 0.5, help: 'Gaussian filter f_smooth of the pixel maps (Eq. 12; official σ = 4).' },
  { key: 'targetFalseReject', group: 'thresholds', label: 'False-reject target', unit: 'share of good parts', kind: 'number', min: 0.0001, below: 0.5, typical: [0.001, 0.1], step: 0.005, help: 'The fail threshold promises at most this share of new good parts rejected (0.01 = 1 %), when the calibration images can support it; the review band starts at 5x it.' },
  { key: 'calibrationShare', group: 'thresholds', label: 'Calibration share', unit: 'share of good images', kind: 'number', min: 0, below: 0.9, typical: [0.1, 0.3], step: 0.05, help: 'Good images held out and never trained on; the thresholds are order statistics of their scores, so the false-reject target is a bound (0: thresholds from training images, no bound).' },
  { key: 'minCalibrationImages', group: 'thresholds', label: 'Fewest calibration images', unit: 'images', kind: 'int', min: 0, typical: [0, 100], step: 1, help: 'Hold out at least this many good images (never more than a quarter of them): n images can promise no rate below 1/(n+1).' },
]

/** A problem with one parameter; `severity: 'warning'` never blocks a run. */
export interface ParamIssue {
  key: string
  severity: 'error' | 'warning'
  message: string
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/**
 * Checks a full configuration against the table. Errors are what the engine refuses (resolveConfig throws
 * the first); warnings are values outside the typical range. Keys outside the table are errors.
 */
export function checkConfig(cfg: Record<string, unknown>): ParamIssue[] {
  const issues: ParamIssue[] = []
  const err = (key: string, message: string) => issues.push({ key, severity: 'error', message })
  // Own keys only: 'constructor' or '__proto__' are unknown names, not Object.prototype's.
  for (const k of Object.keys(cfg)) if (!Object.hasOwn(DEFAULT_CONFIG, k)) err(k, `unknown config key '${k}'; known: ${Object.keys(DEFAULT_CONFIG).join(', ')}`)
  // Enum, whole-number and number checks run in that order so the first error is the one the engine has always named.
  for (const p of PARAMETERS.filter((x) => x.kind === 'enum')) {
    const allowed = p.options!.map((o) => o.value)
    if (!allowed.includes(cfg[p.key] as string)) err(p.key, `${p.key} must be one of ${allowed.join(', ')}, got '${cfg[p.key]}'`)
  }
  for (const p of PARAMETERS.filter((x) => x.kind === 'int'))
    if (!Number.isInteger(cfg[p.key]) || (cfg[p.key] as number) < (p.min ?? 0)) err(p.key, `${p.key} must be a positive whole number, got '${cfg[p.key]}'`)
  for (const p of PARAMETERS.filter((x) => x.kind === 'number'))
    if (!isNum(cfg[p.key]) || (cfg[p.key] as number) < (p.min ?? 0)) err(p.key, `${p.key} must be a non-negative number, got '${cfg[p.key]}'`)
  for (const p of PARAMETERS) {
    const v = cfg[p.key]
    if (!isNum(v) || issues.some((i) => i.key === p.key)) continue
    if (p.below !== undefined && v >= p.below) err(p.key, `${p.key} must be below ${p.below}`)
    else if (p.max !== undefined && v > p.max) err(p.key, `${p.key} must be at most ${p.max}`)
    else if (p.odd && v % 2 !== 1) err(p.key, `${p.key} must be odd`)
    else if (p.typical && (v < p.typical[0] || v > p.typical[1])) issues.push({ key: p.key, severity: 'warning', message: `${p.label} ${v} is outside the usual ${p.typical[0]}–${p.typical[1]}${p.unit ? ` ${p.unit}` : ''}` })
  }
  if (isNum(cfg.tileSide) && cfg.tileSide > 0 && cfg.tileSide < 8 && !issues.some((i) => i.key === 'tileSide')) err('tileSide', `tileSide must be 0 (the input size) or at least 8 px, got ${cfg.tileSide}`)
  if (cfg.fit === 'crop' && isNum(cfg.imageSize) && isNum(cfg.resize) && cfg.imageSize > cfg.resize)
    issues.push({ key: 'resize', severity: 'warning', message: `Resize before crop ${cfg.resize} px is below the input size ${cfg.imageSize} px: images will be resized to ${cfg.imageSize} px` })
  if (typeof cfg.backbone !== 'string' || !cfg.backbone) err('backbone', `backbone must be an architecture name or a model folder, got '${cfg.backbone}'`)
  const taps = cfg.taps
  if (taps !== null && taps !== undefined && !(Array.isArray(taps) && taps.length && taps.every((t) => typeof t === 'string' && t))) err('taps', 'taps must be a list of layer names (e.g. layer2, layer3) or empty')
  return issues
}

/**
 * The one adjustment a valid configuration gets, said by checkConfig's warning: with centre crop, a resize
 * below the input size is raised to it (a crop cannot be larger than the resized image).
 */
export function withCropResize(cfg: Record<string, unknown>): Record<string, unknown> {
  return cfg.fit === 'crop' && isNum(cfg.imageSize) && isNum(cfg.resize) && cfg.imageSize > cfg.resize ? { ...cfg, resize: cfg.imageSize } : cfg
}

/** Merges overrides into the defaults (undefined values are skipped); no checks. */
export function mergeConfig(...overrides: Partial<Record<string, unknown>>[]): Record<string, unknown> {
  const cfg: Record<string, unknown> = { ...DEFAULT_CONFIG }
  for (const o of overrides) for (const [k, v] of Object.entries(o)) if (v !== undefined) cfg[k] = v
  return cfg
}

/** The parameters of one form section. */
export function parametersOf(group: ParamGroup): ParamSpec[] {
  return PARAMETERS.filter((p) => p.group === group)
}
