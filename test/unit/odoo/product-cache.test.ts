import { createProductCache } from '../../../src/odoo/product-cache';

describe('product cache', () => {
  let t = 0;
  const now = () => t;
  beforeEach(() => (t = 1_000));

  it('answers a product until its time is up, then forgets it', () => {
    const cache = createProductCache<string>({ ttlMs: 100, now });
    cache.set(1, 'Python');
    t += 99;
    expect(cache.get(1)).toBe('Python');
    t += 1;
    expect(cache.get(1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing with a time of 0', () => {
    const cache = createProductCache<string>({ ttlMs: 0, now });
    cache.set(1, 'Python');
    expect(cache.get(1)).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const cache = createProductCache<string>({ ttlMs: 100, now });
    cache.set(1, 'Python');
    cache.set(2, 'Data');
    cache.clear();
    expect([cache.get(1), cache.get(2), cache.size]).toEqual([undefined, undefined, 0]);
  });

  it('holds at most maxEntries, the oldest set going first (a re-set counts as new)', () => {
    const cache = createProductCache<string>({ ttlMs: 1_000, maxEntries: 2, now });
    cache.set(1, 'a');
    cache.set(2, 'b');
    cache.set(1, 'a2');
    cache.set(3, 'c');
    expect([cache.get(1), cache.get(2), cache.get(3), cache.size]).toEqual(['a2', undefined, 'c', 2]);
  });
});
