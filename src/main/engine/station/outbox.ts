// The station's on-disk outbox: every message to the line is written here before it is sent and marked when the broker acknowledged it.
import { existsSync } from 'node:fs'
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { writeFileAtomic } from '../util/atomic-write'

/** One message waiting for the broker's acknowledgement. */
export interface OutboxMessage {
  seq: number
  topic: string
  payload: string
}

type Line = OutboxMessage | { ack: number } | { next: number }

/**
 * JSON lines: a message when it is queued, `{ack}` when the broker took it. Opening replays the file: what was
 * queued and never acknowledged (the broker was down, the station was killed) is pending again, in order, and
 * the numbering goes on where it stopped. Opening also compacts the file to what is still pending.
 */
export class Outbox {
  private chain: Promise<unknown> = Promise.resolve()

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private nextSeq: number,
    /** seq -> message, in seq order */
    private readonly waiting: Map<number, OutboxMessage>,
  ) {}

  static async open(path: string): Promise<Outbox> {
    const waiting = new Map<number, OutboxMessage>()
    let next = 1
    if (existsSync(path)) {
      for (const text of (await readFile(path, 'utf8')).split('\n')) {
        let l: Line
        try {
          l = JSON.parse(text) as Line
        } catch {
          continue // a line torn by a kill: its message was never sent, the part is in the results log
        }
        if ('seq' in l) {
          waiting.set(l.seq, l)
          next = Math.max(next, l.seq + 1)
        } else if ('ack' in l) waiting.delete(l.ack)
        else if ('next' in l) next = Math.max(next, l.next)
      }
    }
    const sorted = new Map([...waiting].sort((a, b) => a[0] - b[0]))
    await writeFileAtomic(path, [JSON.stringify({ next }), ...[...sorted.values()].map((m) => JSON.stringify(m))].join('\n') + '\n')
    return new Outbox(path, await open(path, 'a'), next, sorted)
  }

  /** Messages queued and not acknowledged, oldest first. */
  pending(): OutboxMessage[] {
    return [...this.waiting.values()]
  }

  /** Numbers a message and writes it down; resolves once it is on disk (then it may be sent). */
  add(topic: string, payload: (seq: number) => string): Promise<OutboxMessage> {
    const m: OutboxMessage = { seq: this.nextSeq++, topic, payload: '' }
    m.payload = payload(m.seq)
    this.waiting.set(m.seq, m)
    return this.write({ ...m }).then(() => m)
  }

  /** Marks a message acknowledged. */
  ack(seq: number): Promise<void> {
    if (!this.waiting.delete(seq)) return Promise.resolve()
    return this.write({ ack: seq })
  }

  private write(l: Line): Promise<void> {
    const p = this.chain.then(() => this.handle.appendFile(JSON.stringify(l) + '\n'))
    this.chain = p.catch(() => {})
    return p
  }

  async close(): Promise<void> {
    await this.chain
    await this.handle.close()
  }
}
