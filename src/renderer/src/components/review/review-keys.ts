// The review grid's keyboard: j / k next / previous, d / g / u verdicts, for any screen that shows the review store.
import { onBeforeUnmount, onMounted } from 'vue'
import { useReviewStore } from '../../stores/review'

/** Listens on the window while the component is mounted; `enabled` says when the keys apply (typing in a field never triggers them). */
export function useReviewKeys(enabled: () => boolean): void {
  const review = useReviewStore()
  function onKey(e: KeyboardEvent): void {
    const el = e.target as HTMLElement | null
    if (!enabled() || e.ctrlKey || e.metaKey || e.altKey || (el && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName))) return
    const actions: Record<string, () => void> = {
      j: () => review.step(1), k: () => review.step(-1),
      d: () => void review.setVerdict('defect'), g: () => void review.setVerdict('good'), u: () => void review.setVerdict('unsure'),
    }
    const f = actions[e.key]
    if (f) {
      e.preventDefault()
      f()
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
