// Pinia store for the user's display preferences: theme, review overlay options, browser notifications (kept in localStorage).
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { DEFAULT_OVERLAY, type OverlayChoice } from '../../../shared/review/overlay'
import { applyChartTheme } from '../lib/chart-theme'

export type ThemeChoice = 'system' | 'light' | 'dark'

function read<T>(key: string, fallback: T): T {
  try {
    const v = globalThis.localStorage?.getItem(`pbas.${key}`)
    return v ? ((JSON.parse(v) as { value?: T }).value ?? fallback) : fallback
  } catch {
    return fallback
  }
}

function keep(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(`pbas.${key}`, JSON.stringify({ value }))
  } catch {
    // private mode or no storage: preferences last for this session only
  }
}

export const usePreferencesStore = defineStore('preferences', () => {
  const theme = ref<ThemeChoice>(read('theme', 'system'))
  const overlay = ref<OverlayChoice>({ ...DEFAULT_OVERLAY, ...read<Partial<OverlayChoice>>('overlay', {}) })
  /** browser mode: notify when a run or evaluation ends (the desktop app always does, from the main process) */
  const notify = ref<boolean>(read('notify', false))
  const notifyError = ref<string | null>(null)
  const dark = ref(false)

  const media = globalThis.matchMedia?.('(prefers-color-scheme: dark)')
  function apply(): void {
    dark.value = theme.value === 'dark' || (theme.value === 'system' && !!media?.matches)
    if (typeof document !== 'undefined') {
      document.documentElement.dataset.theme = dark.value ? 'dark' : 'light'
      applyChartTheme()
    }
  }
  media?.addEventListener?.('change', apply)
  watch(theme, (t) => {
    keep('theme', t)
    apply()
  })
  watch(overlay, (o) => keep('overlay', o), { deep: true })
  watch(notify, (n) => keep('notify', n))

  /** Asks the browser for permission (must follow a click) and turns notifications on when granted. */
  async function enableNotifications(on: boolean): Promise<void> {
    notifyError.value = null
    if (!on) {
      notify.value = false
      return
    }
    if (typeof Notification === 'undefined') {
      notifyError.value = 'This browser cannot show notifications.'
      return
    }
    const p = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission()
    notify.value = p === 'granted'
    if (p !== 'granted') notifyError.value = 'Notifications are blocked for this page; allow them in the browser’s site settings.'
  }

  return { theme, overlay, notify, notifyError, dark, apply, enableNotifications }
})
