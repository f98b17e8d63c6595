// Job lanes: several job runners behind one interface, so light analysis jobs need not wait behind training.
import type { JobEvent, JobInfo, JobRequest } from '../../shared/models/job'
import type { JobRunner } from './job-runner'

/** What the app needs from a job runner (a single JobRunner or lanes of them). */
export type Jobs = Pick<JobRunner, 'on' | 'submit' | 'cancel' | 'get' | 'dispose'>

/**
 * Routes each request kind to a lane (its own worker, one job at a time); kinds not listed go to the
 * default lane. Feature plots, for example, can run while a long training job holds the default lane.
 */
export class JobLanes implements Jobs {
  constructor(
    private readonly fallback: JobRunner,
    private readonly lanes: { runner: JobRunner; kinds: readonly JobRequest['kind'][] }[] = [],
  ) {}

  private all(): JobRunner[] {
    return [this.fallback, ...this.lanes.map((l) => l.runner)]
  }

  on(listener: (e: JobEvent) => void): () => void {
    const offs = this.all().map((r) => r.on(listener))
    return () => offs.forEach((off) => off())
  }

  submit(request: JobRequest): JobInfo {
    return (this.lanes.find((l) => l.kinds.includes(request.kind))?.runner ?? this.fallback).submit(request)
  }

  cancel(id: string): boolean {
    return this.all().some((r) => r.cancel(id))
  }

  get(id: string): JobInfo | undefined {
    for (const r of this.all()) {
      const j = r.get(id)
      if (j) return j
    }
    return undefined
  }

  async dispose(): Promise<void> {
    await Promise.all(this.all().map((r) => r.dispose()))
  }
}
