// Page object for the review of a run: grid, viewer, threshold, metrics, feature plots and report tabs (each a URL).
import { expect, type Locator, type Page } from '@playwright/test'

export class ReviewPage {
  readonly view: Locator
  readonly grid: Locator
  readonly items: Locator
  readonly viewer: Locator
  readonly overlay: Locator
  readonly histogram: Locator
  readonly confusion: Locator
  readonly pcaChart: Locator

  constructor(readonly page: Page) {
    this.view = page.getByTestId('review-view')
    this.grid = page.getByTestId('review-grid')
    this.items = page.getByTestId('grid-item')
    this.viewer = page.getByTestId('image-viewer')
    this.overlay = page.getByTestId('overlay-canvas')
    this.histogram = page.getByTestId('histogram')
    this.confusion = page.getByTestId('confusion-matrix')
    this.pcaChart = page.getByTestId('pca-chart')
  }

  tab(name: 'review' | 'threshold' | 'metrics' | 'features' | 'report'): Locator {
    return this.page.getByTestId(`tab-${name}`)
  }

  /** Scores of the grid's tiles, top to bottom. */
  async gridScores(): Promise<number[]> {
    return (await this.items.evaluateAll((els) => els.map((e) => e.getAttribute('data-score')))).map(Number)
  }

  /** Sum of the overlay canvas' RGB values, to see the heat map change the picture. */
  async overlaySum(): Promise<number> {
    return this.overlay.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let s = 0
      for (let i = 0; i < d.length; i += 4) s += d[i] + d[i + 1] + d[i + 2]
      return s
    })
  }

  /** [tp, fn, fp, tn] as shown. */
  async confusionCounts(): Promise<number[]> {
    return Promise.all(['cm-tp', 'cm-fn', 'cm-fp', 'cm-tn'].map(async (id) => Number(await this.page.getByTestId(id).textContent())))
  }

  /** Presses the mouse at `from` and releases at `to`, as fractions of the histogram's width, at mid height. */
  async dragOnHistogram(from: number, to: number): Promise<void> {
    await this.histogram.scrollIntoViewIfNeeded()
    const box = (await this.histogram.boundingBox())!
    const y = box.y + box.height * 0.5
    await this.page.mouse.move(box.x + box.width * from, y)
    await this.page.mouse.down()
    for (let i = 1; i <= 5; i++) await this.page.mouse.move(box.x + box.width * (from + ((to - from) * i) / 5), y)
    await this.page.mouse.up()
  }

  async waitForDrawn(index: string): Promise<void> {
    await expect(this.viewer).toHaveAttribute('data-index', index)
    await expect.poll(async () => Number(await this.viewer.getAttribute('data-drawn'))).toBeGreaterThan(0)
  }
}
