import { TransientError, PermanentError } from '../../../src/lib';
import type { LmsAdapter } from '../../../src/lms';
import { createLmsBackoff, observedLms } from '../../../src/queue/lms-backoff';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the LMS backoff', () => {
  it('keeps no floor while most calls are answered (a fifth failing is not an outage)', () => {
    const c = clock();
    const b = createLmsBackoff({ now: c.now });
    for (let i = 0; i < 100; i++) {
      b.record(i % 5 !== 0);
      c.advance(100);
    }
    expect(b.floorMs()).toBe(0);
  });

  it('once most calls fail, the floor is how long it has been failing, and it clears when calls pass again', () => {
    const c = clock();
    const b = createLmsBackoff({ now: c.now });
    for (let i = 0; i < 20; i++) b.record(false);
    expect(b.floorMs()).toBe(1);
    c.advance(20_000);
    b.record(false);
    expect(b.floorMs()).toBe(20_000);
    for (let i = 0; i < 40; i++) b.record(true);
    expect(b.floorMs()).toBe(0);
  });

  it("holds every retry until the LMS's Retry-After has passed", () => {
    const c = clock();
    const b = createLmsBackoff({ now: c.now });
    b.record(false, 30_000);
    expect(b.floorMs()).toBe(30_000);
    c.advance(10_000);
    expect(b.floorMs()).toBe(20_000);
    c.advance(30_000);
    expect(b.floorMs()).toBe(0);
  });

  it('forgets what is older than its window', () => {
    const c = clock();
    const b = createLmsBackoff({ now: c.now, windowMs: 10_000 });
    for (let i = 0; i < 20; i++) b.record(false);
    c.advance(11_000);
    expect(b.floorMs()).toBe(0);
  });

  it('observedLms tells it each enroll: answered, refused (still answered), or failed', async () => {
    const seen: Array<[boolean, number | undefined]> = [];
    const backoff = { record: (ok: boolean, ms?: number) => void seen.push([ok, ms]), floorMs: () => 0 };
    const answers = [
      Promise.resolve({ enrollmentId: 'e1', status: 'active' }),
      Promise.reject(new PermanentError('lms_rejected', 'no')),
      Promise.reject(new TransientError('lms_rate_limited', 'slow down', { retryAfterMs: 2000 })),
    ];
    answers.forEach((a) => a.catch(() => undefined));
    let i = 0;
    const lms = observedLms({ name: 'rest', enroll: () => answers[i++] } as unknown as LmsAdapter, backoff);
    const req = {} as Parameters<LmsAdapter['enroll']>[0];
    await lms.enroll(req);
    await expect(lms.enroll(req)).rejects.toThrow('no');
    await expect(lms.enroll(req)).rejects.toThrow('slow down');
    expect(seen).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 2000],
    ]);
  });
});
