// Browser-mode desktop notifications (the Notification API), when the user allowed them and the page is not in front.
import type { Notice } from '../../../shared/notices'

/** Shows `n` if permission was granted and the page is hidden or unfocused; false otherwise. */
export function notifyInBrowser(n: Notice | null, enabled: boolean): boolean {
  if (!n || !enabled || typeof Notification === 'undefined' || Notification.permission !== 'granted') return false
  if (typeof document !== 'undefined' && !document.hidden && document.hasFocus()) return false
  new Notification(n.title, { body: n.body })
  return true
}
