// A PCA feature plot of one model (the paper's Fig. 9-10) as the engine computes it and the renderer draws it.

/** Which projector the plot uses: at initialisation, the latest checkpoint of a running run, or the model. */
export type PlotStage = 'initial' | 'checkpoint' | 'final'

/** A group of points in the plot. */
export interface PlotGroup {
  name: 'normal-backbone' | 'normal-projected' | 'synthetic' | 'defect-projected' | 'centre'
  label: string
  /** [pc1, pc2] per sampled patch */
  points: [number, number][]
}

/** The plot: shared PCA axes for every group, and the share of variance they explain. */
export interface FeaturePlot {
  stage: PlotStage
  epoch: number | null
  explained: [number, number]
  groups: PlotGroup[]
  images: { normal: number; defect: number }
}
