// Page object for a product's Train screen: the parameter form, the JSON view, the estimate and the start button.
import { expect, type Locator, type Page } from '@playwright/test'

export class TrainPage {
  readonly start: Locator
  readonly jsonToggle: Locator
  readonly formToggle: Locator
  readonly json: Locator
  readonly name: Locator
  readonly note: Locator
  readonly duration: Locator
  readonly errors: Locator

  constructor(readonly page: Page) {
    this.start = page.getByTestId('start-run')
    this.jsonToggle = page.getByTestId('json-toggle')
    this.formToggle = page.getByTestId('mode-form')
    this.json = page.getByTestId('run-json')
    this.name = page.getByTestId('run-name')
    this.note = page.getByTestId('run-note')
    this.duration = page.getByTestId('estimate-duration')
    this.errors = page.getByTestId('form-errors')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-train').click()
    await expect(this.page).toHaveURL(/\/train$/)
  }

  /** The control of one PBAS parameter (see src/shared/pbas/parameters.ts). */
  field(key: string): Locator {
    return this.page.getByTestId(`param-${key}`)
  }

  /** Opens the Advanced section (every parameter of the method), when it is closed. */
  async openAdvanced(): Promise<void> {
    const advanced = this.page.getByTestId('advanced')
    if ((await advanced.getAttribute('open')) === null) await advanced.locator(':scope > summary').click()
  }

  /** Types or picks a parameter's value in the form, as a person would (opening Advanced for the method's parameters). */
  async set(key: string, value: string | number): Promise<void> {
    const f = this.field(key)
    if (!(await f.isVisible())) await this.openAdvanced()
    if ((await f.evaluate((el) => el.tagName)) === 'SELECT') await f.selectOption(String(value))
    else await f.fill(String(value))
  }

  /** Picks "a model folder or weights file" as the backbone and types its path. */
  async setBackbonePath(path: string): Promise<void> {
    await this.openAdvanced()
    // The picker re-renders when its list of weights arrives (slower once weights are stored: their checksums are
    // read), and a re-render resets a path typed before it; so wait for the list first.
    await expect(this.page.getByTestId('backbone-select').locator('option[value="resnet18"]')).toHaveCount(1)
    await this.page.getByTestId('backbone-select').selectOption('__path__')
    const input = this.page.getByTestId('param-backbone-path')
    await input.fill(path)
    await input.press('Tab')
  }

  /** Sets every given parameter through the form (never the JSON view), then starts the run; the run's screen opens. */
  async startWith(params: Record<string, string | number>, backbonePath?: string): Promise<void> {
    if (backbonePath) await this.setBackbonePath(backbonePath)
    for (const [k, v] of Object.entries(params)) await this.set(k, v)
    await expect(this.errors).toHaveCount(0)
    await this.start.click()
    await expect(this.page).toHaveURL(/\/runs\/[0-9a-f-]+$/)
  }
}
