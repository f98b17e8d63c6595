// Sends a notice when a run or an evaluation ends, for the desktop app's notifications (no Electron here).
import { basename } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { RunService } from './run-service'
import { evaluationNotice, runNotice, type Notice } from '../../shared/notices'

/** Calls `notify` once per ended run and evaluation; returns the unsubscribe function. */
export function onFinishNotices(runService: Pick<RunService, 'on'>, runner: Pick<Jobs, 'on' | 'get'>, notify: (n: Notice) => void): () => void {
  const offRuns = runService.on((e) => {
    const n = e.type === 'state' ? runNotice(e.run) : null
    if (n) notify(n)
  })
  const offJobs = runner.on((e) => {
    if (e.type !== 'state' || e.kind !== 'review') return
    const req = runner.get(e.jobId)?.request
    if (req?.kind !== 'review') return
    const n = evaluationNotice(e.state, basename(req.data), e.state === 'failed' ? e.error : undefined)
    if (n) notify(n)
  })
  return () => {
    offRuns()
    offJobs()
  }
}
