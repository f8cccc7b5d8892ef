// Every finding kind says what a person does next, and a run that leaves such findings is not shown
// as a plain success.
import { FINDING_KINDS } from '../../../src/reconcile/diff-types';
import { KIND_META } from '../../../src/reconcile/report/format';
import { renderHtml } from '../../../src/reconcile/report/html';
import { needsPerson, nextStep } from '../../../src/reconcile/report/next-steps';
import { sampleReportData } from '../../support/report-sample';
import type { FindingAction } from '../../../src/reconcile/report/types';

const ACTIONS: FindingAction[] = ['repair_queued', 'suspend_queued', 'reported', 'held', 'dry_run'];

describe('next steps', () => {
  it('covers every kind the diff finds and the report labels', () => {
    expect(Object.keys(KIND_META).sort()).toEqual([...FINDING_KINDS].sort());
  });

  it.each(FINDING_KINDS.flatMap((k) => ACTIONS.map((a) => [k, a] as const)))(
    '%s, %s: a sentence a person can follow',
    (kind, action) => {
      for (const courseCode of ['PY-K12', null]) {
        const step = nextStep(kind, { courseCode, action });
        expect(step.length).toBeGreaterThan(40);
        expect(step).not.toMatch(/undefined|null/);
      }
    },
  );

  it('gives each reported kind its own fix, naming where to act', () => {
    const steps = FINDING_KINDS.map((k) => nextStep(k, { courseCode: 'PY-K12', action: 'reported' }));
    expect(new Set(steps).size).toBe(FINDING_KINDS.length);
    for (const step of steps) expect(step).toMatch(/Odoo|LMS/);
    for (const step of steps) expect(step).toMatch(/next run/);
  });

  it('tells an unmapped course which product, which field, and then what', () => {
    const step = nextStep('course_unmapped', { courseCode: 'LEGACY-12', action: 'reported' });
    expect(step).toMatch(/product/);
    expect(step).toContain('LEGACY-12');
    expect(step).toMatch(/Internal Reference \(default_code\)/);
    expect(step).toMatch(/Retry Enrollment.*or wait for the next run/);
    expect(nextStep('course_unmapped', { courseCode: null, action: 'reported' })).toMatch(
      /no Internal Reference.*default_code/,
    );
  });

  it('counts only queued repairs as needing nobody', () => {
    expect(ACTIONS.filter((a) => !needsPerson(a))).toEqual(['repair_queued', 'suspend_queued']);
  });
});

describe('the status badge', () => {
  const badge = (html: string) => /<span class="badge [^"]*" id="run-status"[^>]*>([^<]*)</.exec(html)![1];

  it('says "needs attention" over a succeeded run that left findings for a person', () => {
    const html = renderHtml(sampleReportData());
    expect(badge(html)).toBe('needs attention');
    expect(html).toContain('id="attention"');
  });

  it('says succeeded when every finding is a queued repair, or there are none', () => {
    const data = sampleReportData();
    data.findings = data.findings.filter((f) => f.action === 'repair_queued');
    expect(badge(renderHtml(data))).toBe('succeeded');
    expect(badge(renderHtml(sampleReportData({ findings: 0 })))).toBe('succeeded');
  });

  it('keeps held and failed as they are', () => {
    expect(badge(renderHtml(sampleReportData({ status: 'held' })))).toBe('held');
    expect(badge(renderHtml(sampleReportData({ status: 'failed' })))).toBe('failed');
  });
});
