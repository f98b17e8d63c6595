// Page object for the Train screen's "What to inspect" card: drawing the region to inspect and the areas to ignore.
import { expect, type Locator, type Page } from '@playwright/test'

export class RegionEditor {
  readonly card: Locator
  readonly canvas: Locator
  readonly summary: Locator
  readonly share: Locator

  constructor(readonly page: Page) {
    this.card = page.getByTestId('region-card')
    this.canvas = page.getByTestId('region-canvas')
    this.summary = page.getByTestId('region-summary')
    this.share = page.getByTestId('region-share')
  }

  /** Opens the card (closed while the product has no region) and waits for the product's photo. */
  async open(): Promise<void> {
    if ((await this.card.getAttribute('open')) === null) await this.card.locator(':scope > summary').click()
    await expect(this.canvas).toBeVisible({ timeout: 60_000 })
  }

  /** Screen position of a point given as fractions of the photo's width and height. */
  private async point(fx: number, fy: number): Promise<{ x: number; y: number }> {
    await this.canvas.scrollIntoViewIfNeeded()
    const box = (await this.canvas.boundingBox())!
    return { x: box.x + box.width * fx, y: box.y + box.height * fy }
  }

  /** Drags a rectangle from one corner to the other (fractions of the photo), as a person would with the mouse. */
  async drawRect(mode: 'inspect' | 'ignore', from: [number, number], to: [number, number]): Promise<void> {
    await this.page.getByTestId(`region-mode-${mode}`).click()
    await this.page.getByTestId('region-tool-rect').click()
    const a = await this.point(...from)
    const b = await this.point(...to)
    await this.page.mouse.move(a.x, a.y)
    await this.page.mouse.down()
    for (let i = 1; i <= 5; i++) await this.page.mouse.move(a.x + ((b.x - a.x) * i) / 5, a.y + ((b.y - a.y) * i) / 5)
    await this.page.mouse.up()
  }

  /** Clicks each corner of a polygon (fractions of the photo) and closes it. */
  async drawPolygon(mode: 'inspect' | 'ignore', corners: [number, number][]): Promise<void> {
    await this.page.getByTestId(`region-mode-${mode}`).click()
    await this.page.getByTestId('region-tool-polygon').click()
    for (const c of corners) {
      const p = await this.point(...c)
      await this.page.mouse.click(p.x, p.y)
    }
    await this.page.getByTestId('region-finish').click()
  }
}
