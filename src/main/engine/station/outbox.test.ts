import { afterEach, describe, expect, it } from 'vitest'
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Outbox } from './outbox'

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the station outbox', () => {
  it('keeps what the broker never acknowledged across a kill, in order, numbering on where it stopped', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pbas-outbox-'))
    const path = join(dir, 'outbox.jsonl')
    const box = await Outbox.open(path)
    for (let i = 0; i < 5; i++) await box.add('pbas/s/verdict', (seq) => JSON.stringify({ part: i, seq }))
    await box.ack(1)
    await box.ack(3)
    await box.close()
    // A kill mid-write leaves half a line: dropped, the rest replays.
    await appendFile(path, '{"seq":6,"topic":"pbas/s/ver')
    const again = await Outbox.open(path)
    expect(again.pending().map((m) => [m.seq, JSON.parse(m.payload).part])).toEqual([[2, 1], [4, 3], [5, 4]])
    expect((await again.add('t', (seq) => String(seq))).seq).toBe(6)
    for (const m of again.pending()) await again.ack(m.seq)
    await again.close()
    // Everything acknowledged: the compacted file keeps only the numbering.
    const last = await Outbox.open(path)
    expect(last.pending()).toEqual([])
    expect((await readFile(path, 'utf8')).trim()).toBe('{"next":7}')
    expect((await last.add('t', (seq) => String(seq))).seq).toBe(7)
    await last.close()
  })
})
