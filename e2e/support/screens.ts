// Every screen's check: no serious or critical axe violation, no horizontal scrolling, nothing overflowing or cut,
// and screenshots at 1280x800 and 1920x1080 in the light and dark themes in e2e/artifacts/screens.
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'
import { layoutProblems } from './layout-check'

const SIZES = [
  { w: 1280, h: 800, scheme: 'light' },
  { w: 1280, h: 800, scheme: 'dark' },
  { w: 1920, h: 1080, scheme: 'light' },
  { w: 1920, h: 1080, scheme: 'dark' },
] as const

/** Axe findings of serious or critical impact on the page as it is now (light and dark themes). */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze()
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
}

/**
 * Checks and photographs one screen: axe in both themes, no horizontal scroll, no element overflowing its box and
 * no text cut without an ellipsis and a tooltip at either size, and the four screenshots. The page is left at
 * 1280x800 in the light theme.
 */
export async function checkScreen(page: Page, screen: string): Promise<void> {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.w, height: s.h })
    await page.emulateMedia({ colorScheme: s.scheme })
    // chart.js resizes on a ResizeObserver tick; give the layout a moment to settle.
    await page.waitForTimeout(350)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `${screen} scrolls sideways at ${s.w}x${s.h}`).toBeLessThanOrEqual(0)
    expect.soft(await layoutProblems(page), `${screen} at ${s.w}x${s.h}: elements that overflow or cut their text`).toEqual([])
    if (s.w === 1280) await expectAccessible(page, `${screen} (${s.scheme})`)
    await page.screenshot({ path: `e2e/artifacts/screens/${screen}-${s.w}x${s.h}-${s.scheme}.png`, fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.emulateMedia({ colorScheme: 'light' })
}
