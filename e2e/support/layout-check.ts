// Layout check for a screen: no visible element overflows its container, no text is cut without an ellipsis and a tooltip.
import type { Page } from '@playwright/test'

/** One layout problem: what is wrong, and a short CSS-ish path to the element. */
export interface LayoutProblem {
  kind: 'cut' | 'overflow'
  where: string
  text: string
}

/**
 * Walks the visible DOM and reports:
 * - cut: an element that hides overflowing content (overflow hidden or clip) while its content is wider or taller
 *   than its box, unless it is a one-line text with `text-overflow: ellipsis` and a tooltip (its own or an
 *   ancestor's `title`);
 * - overflow: an element whose box sticks out of its parent's box (by more than 1 px) where the parent lets
 *   overflow show (the content would spill over its neighbours).
 * - cut: a <select> whose chosen option's words are wider than its box, without a tooltip.
 * Scrollable boxes (overflow auto or scroll) are fine: nothing is lost, it scrolls. Elements marked
 * `data-clip-ok` (zoomed image frames that pan) and visually hidden ones (sr-only, the skip link) are left out.
 */
export async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const out: { kind: 'cut' | 'overflow'; where: string; text: string }[] = []
    const path = (el: Element): string => {
      const parts: string[] = []
      for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        const id = e.getAttribute('data-testid')
        parts.unshift(id ? `[data-testid=${id}]` : `${e.tagName.toLowerCase()}${e.classList.length ? '.' + [...e.classList].join('.') : ''}`)
      }
      return parts.join(' > ')
    }
    const hidden = (el: Element): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        if (e.hasAttribute('data-clip-ok')) return true
        const s = getComputedStyle(e)
        if (s.display === 'none' || s.visibility === 'hidden') return true
        if (e.classList.contains('sr-only') || e.classList.contains('skip')) return true
        // the content of a closed <details> is not rendered (its <summary> is)
        if (e.parentElement?.tagName === 'DETAILS' && !e.parentElement.hasAttribute('open') && e.tagName !== 'SUMMARY') return true
      }
      const r = el.getBoundingClientRect()
      return r.width === 0 && r.height === 0
    }
    const all = [...document.body.querySelectorAll('*')].filter((el) => !(el instanceof SVGElement && !(el instanceof SVGSVGElement)) && !['SCRIPT', 'STYLE', 'OPTION', 'BR'].includes(el.tagName))
    for (const el of all) {
      if (hidden(el)) continue
      const s = getComputedStyle(el)
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60)
      const clipsX = s.overflowX === 'hidden' || s.overflowX === 'clip'
      const clipsY = s.overflowY === 'hidden' || s.overflowY === 'clip'
      const h = el as HTMLElement
      const cutX = clipsX && h.scrollWidth > h.clientWidth + 1
      const cutY = clipsY && h.scrollHeight > h.clientHeight + 1
      if (cutX || cutY) {
        // An <input> is one line by nature (its white-space reads 'pre').
        const oneLine = s.whiteSpace === 'nowrap' || el instanceof HTMLInputElement
        const ellipsis = s.textOverflow === 'ellipsis' && oneLine && !cutY
        const tooltip = !!el.closest('[title]')?.getAttribute('title')
        if (!(ellipsis && tooltip)) out.push({ kind: 'cut', where: path(el), text: `${text} (${ellipsis ? 'ellipsis without a tooltip' : 'no ellipsis'}; content ${h.scrollWidth}x${h.scrollHeight} in ${h.clientWidth}x${h.clientHeight})` })
      }
      // A <select> cuts its chosen option's words without saying so: measure them against its box.
      if (el instanceof HTMLSelectElement && el.selectedOptions[0]) {
        const ctx = document.createElement('canvas').getContext('2d')!
        ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`
        const words = ctx.measureText(el.selectedOptions[0].text).width
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 18 // the arrow
        if (words > room + 1 && !el.getAttribute('title')) out.push({ kind: 'cut', where: path(el), text: `${el.selectedOptions[0].text} (a choice cut: ${Math.round(words)} px of words in ${Math.round(room)} px, no tooltip)` })
      }
      const parent = el.parentElement
      if (!parent || parent === document.body || s.position === 'absolute' || s.position === 'fixed') continue
      const ps = getComputedStyle(parent)
      if (ps.display === 'inline' || ps.display === 'contents' || ps.overflowX !== 'visible' || el.tagName === 'LEGEND') continue
      const r = el.getBoundingClientRect()
      const p = parent.getBoundingClientRect()
      const over = Math.max(r.right - p.right, p.left - r.left, r.bottom - p.bottom, p.top - r.top)
      // A negative margin (segmented buttons, tabs' underline) moves an element by its border width; more than 2 px spills.
      if (over > 2) out.push({ kind: 'overflow', where: path(el), text: `${text} (sticks out of its parent by ${Math.round(over)} px)` })
    }
    return out
  })
}
