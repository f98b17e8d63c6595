import { describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listReports, readReportFile } from './report-files'

describe('report files', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'pbas-reports-')), 'reports')
  mkdirSync(dir)
  writeFileSync(join(dir, 'discs-aaaaaaaa-11111111.html'), '<p>one</p>')
  writeFileSync(join(dir, 'discs-aaaaaaaa-11111111.csv'), 'a,b')
  writeFileSync(join(dir, 'discs-aaaaaaaa-22222222.html'), '<p>two</p>')
  writeFileSync(join(dir, 'discs-aaaaaaaa-22222222.pdf'), '%PDF')
  writeFileSync(join(dir, 'discs-aaaaaaaa-11111111-2.html'), '<p>one, again</p>')
  writeFileSync(join(dir, 'discs-bbbbbbbb-33333333.html'), '<p>other run</p>')

  it('lists one run’s reports with the files each has', async () => {
    const got = await listReports(dir, 'aaaaaaaa-rest-of-the-id')
    expect(got.map((r) => [r.name, r.evaluation, !!r.pdf, !!r.csv]).sort()).toEqual([
      ['discs-aaaaaaaa-11111111', '11111111', false, true], ['discs-aaaaaaaa-11111111-2', '11111111', false, false], ['discs-aaaaaaaa-22222222', '22222222', true, false],
    ])
    expect(await listReports(join(dir, 'missing'), 'aaaaaaaa')).toEqual([])
  })

  it('reads a report back, and nothing outside the reports folder', async () => {
    const f = await readReportFile(dir, join(dir, 'discs-aaaaaaaa-22222222.pdf'))
    expect([f.name, f.type, Buffer.from(f.base64, 'base64').toString()]).toEqual(['discs-aaaaaaaa-22222222.pdf', 'application/pdf', '%PDF'])
    await expect(readReportFile(dir, join(dir, '..', 'workspace.sqlite'))).rejects.toThrow(/not a report/)
    await expect(readReportFile(dir, join(dir, 'sub', '..', '..', 'x.html'))).rejects.toThrow(/not a report/)
  })
})
