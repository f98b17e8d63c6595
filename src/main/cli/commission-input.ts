// `pbas watch --commission`: reviewers' answers and the recalibration action, one command a line on stdin.
import { createInterface, type Interface } from 'node:readline'
import type { CommissioningState } from '../../shared/models/station'
import type { CommissionedStation } from '../engine/station/commissioned-station'

/** The commissioning state as one line (printed when it changes). */
export function commissioningLine(s: CommissioningState): string {
  if (!s.active) return `commissioning: off. ${s.message}`
  const next = s.proposal ? `; type "recalibrate" to apply (${s.proposal.reason})` : '; answer "good FILE" or "defect FILE" for parts in review'
  return `${s.message}${s.waiting ? ` [${s.waiting} waiting for a reviewer]` : ''}${next}`
}

/**
 * Reads "good FILE", "defect FILE" (FILE as the station prints it) and "recalibrate" from stdin and relays them
 * to the station; `say` reports what did not work. Returns the reader, to close when the station stops.
 */
export function commissionCommands(station: CommissionedStation, say: (message: string) => void, input: NodeJS.ReadableStream = process.stdin): Interface {
  const rl = createInterface({ input, terminal: false })
  rl.on('line', (raw) => {
    const line = raw.trim()
    if (!line) return
    const m = /^(good|defect)\s+(.+)$/i.exec(line)
    if (m) {
      if (!station.answer(m[2].trim(), m[1].toLowerCase() as 'good' | 'defect')) say(`${m[2].trim()} is not waiting for a reviewer (only parts in review or fail are; name them as the station printed them)`)
      return
    }
    if (/^recalibrate$/i.test(line)) {
      station.accept().catch((err: Error) => say(`recalibration not applied: ${err.message}`))
      return
    }
    say(`unknown command "${line}": use "good FILE", "defect FILE" or "recalibrate"`)
  })
  return rl
}
