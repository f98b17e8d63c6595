// Default names of runs, from their settings ("Quick - ResNet18 - 256 px - 16 epochs"), for people to recognise them.
import { DEFAULT_CONFIG, PRESETS, type PbasConfig } from './parameters'

const ARCH_NAMES: [RegExp, string][] = [[/wide_resnet50_2/i, 'WRN50-2'], [/resnet50/i, 'ResNet50'], [/resnet18/i, 'ResNet18'], [/mobilenet_v2/i, 'MobileNetV2'], [/mobilenet_v1|mobilenet/i, 'MobileNet']]

/** A backbone setting (architecture name or weights folder) as people call it. */
export function backboneName(spec: unknown): string {
  const s = String(spec ?? '')
  for (const [re, name] of ARCH_NAMES) if (re.test(s)) return name
  return s.split(/[\\/]/).filter(Boolean).pop() ?? s
}

/** Settings a preset gained after partial configurations without them were written (they match when absent). */
const LATER_KEYS = ['stopRule', 'patchShare', 'fit']

/** The preset a configuration was started from: the preset all of whose settings it keeps (or does not set), except the backbone. */
export function presetOf(config: Partial<PbasConfig>, preset?: string): { name: string; edited: boolean } {
  const has = (k: string): unknown => (Object.hasOwn(config, k) ? Object.getOwnPropertyDescriptor(config, k)?.value : undefined)
  const named = preset && Object.hasOwn(PRESETS, preset) ? preset : Object.keys(PRESETS).find((p) => Object.entries(PRESETS[p]).every(([k, v]) => k === 'backbone' || has(k) === v || (has(k) === undefined && LATER_KEYS.includes(k))))
  if (!named) return { name: 'Custom', edited: false }
  const edited = Object.entries(PRESETS[named]).some(([k, v]) => k !== 'backbone' && has(k) !== undefined && has(k) !== v)
  return { name: named[0].toUpperCase() + named.slice(1), edited }
}

/** "Quick - ResNet18 - 256 px - 16 epochs"; "(edited)" when the preset's own settings were changed. */
export function runDefaultName(config: Partial<PbasConfig>, preset?: string): string {
  const p = presetOf(config, preset)
  const merged: PbasConfig = { ...DEFAULT_CONFIG, ...(preset && Object.hasOwn(PRESETS, preset) ? PRESETS[preset] : {}), ...config }
  return `${p.name}${p.edited ? ' (edited)' : ''} - ${backboneName(merged.backbone)} - ${merged.imageSize} px - ${merged.epochs} epochs`
}
