// Pinia store for the training form: every PBAS parameter's value, the preset that filled them, the JSON view, validation.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { checkConfig, mergeConfig, PRESETS, type ParamIssue } from '../../../shared/pbas/parameters'
import { runDefaultName } from '../../../shared/pbas/run-name'

/** One setting as the form holds it: the type of a `runs:start` override, taken from its IPC schema. */
export type Value = NonNullable<import('../../../shared/ipc/invoke-args').InvokeArgs['runs:start']['overrides']>[string]
/** Every setting by key (unknown keys stay, so checkConfig can name them). */
export type FormValues = Record<string, Value>

/** The defaults with a preset (and edits) merged in, as form values. */
const merged = (...over: Record<string, unknown>[]) => mergeConfig(...over) as FormValues

/** The form's values as overrides of a preset: only what differs from the preset (over the defaults), and the backbone. */
export function overridesOf(values: FormValues, preset: string): Record<string, Value> {
  const base = mergeConfig(PRESETS[preset] ?? {})
  const out: Record<string, Value> = {}
  for (const [k, v] of Object.entries(values)) if (k === 'backbone' || JSON.stringify(v) !== JSON.stringify(base[k])) out[k] = v
  return out
}

export const useTrainingFormStore = defineStore('training-form', () => {
  const preset = ref('quick')
  const values = ref<FormValues>(merged(PRESETS.quick))
  const mode = ref<'form' | 'json'>('form')
  const jsonText = ref('')
  const jsonError = ref<string | null>(null)
  const datasetId = ref('')
  /** null: the default name from the settings */
  const customName = ref<string | null>(null)
  const note = ref('')

  const issues = computed<ParamIssue[]>(() => checkConfig(values.value))
  const errors = computed(() => issues.value.filter((i) => i.severity === 'error'))
  const issueOf = (key: string) => issues.value.find((i) => i.key === key)
  const overrides = computed(() => overridesOf(values.value, preset.value))
  const defaultName = computed(() => runDefaultName(values.value, preset.value))
  const name = computed(() => customName.value ?? defaultName.value)
  /** the form can start a run: valid values, not mid-way through an unparsed JSON edit */
  const ready = computed(() => !!datasetId.value && !errors.value.length && !(mode.value === 'json' && jsonError.value))

  /** Presets fill the whole form (every parameter back to the preset's value). */
  function applyPreset(p: string): void {
    if (!PRESETS[p]) return
    preset.value = p
    values.value = merged(PRESETS[p])
    if (mode.value === 'json') jsonText.value = toJson()
  }

  function set(key: string, v: Value): void {
    values.value = { ...values.value, [key]: v }
  }

  function toJson(): string {
    return JSON.stringify(overrides.value, null, 2)
  }

  /** Reads the JSON text into the form; false (with `jsonError`) when it is not a JSON object. */
  function fromJson(text = jsonText.value): boolean {
    let parsed: unknown
    try {
      parsed = JSON.parse(text || '{}')
    } catch (err) {
      jsonError.value = `Not valid JSON: ${(err as Error).message}`
      return false
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      jsonError.value = 'Write one JSON object of parameters, e.g. {"epochs": 20, "alpha": 0.3}'
      return false
    }
    jsonError.value = null
    values.value = merged(PRESETS[preset.value] ?? {}, parsed as Record<string, unknown>)
    return true
  }

  /** Switches between the form and the JSON view; leaving JSON applies it (and stays if it does not parse). */
  function setMode(m: 'form' | 'json'): void {
    if (m === mode.value) return
    if (m === 'json') {
      jsonText.value = toJson()
      jsonError.value = null
    } else if (!fromJson()) return
    mode.value = m
  }

  function setName(n: string): void {
    customName.value = n.trim() && n !== defaultName.value ? n : null
  }

  return { preset, values, mode, jsonText, jsonError, datasetId, customName, note, issues, errors, overrides, defaultName, name, ready, issueOf, applyPreset, set, toJson, fromJson, setMode, setName }
})
