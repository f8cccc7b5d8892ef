import { createCourseCatalog } from '../../../src/lms/course-catalog';

/** A course list reader that counts its reads and can be made to fail. */
function reader(codes: string[]) {
  const r = { reads: 0, fail: false, codes };
  const read = async () => {
    r.reads += 1;
    if (r.fail) throw new Error('list unavailable');
    return r.codes;
  };
  return Object.assign(r, { read });
}

describe('course catalog', () => {
  it('reads once per lifetime and again after it', async () => {
    let clock = 1_000;
    const list = reader(['PY-K12']);
    const catalog = createCourseCatalog(list.read, 60_000, () => clock);
    expect(await catalog.knows('PY-K12')).toBe(true);
    clock += 59_999;
    expect(await catalog.knows('NOPE')).toBe(false);
    expect(list.reads).toBe(1);
    list.codes = ['PY-K12', 'NOPE'];
    clock += 1;
    expect(await catalog.knows('NOPE')).toBe(true);
    expect(list.reads).toBe(2);
  });

  it('shares one read between concurrent questions', async () => {
    const list = reader(['A', 'B']);
    const catalog = createCourseCatalog(list.read);
    const answers = await Promise.all(['A', 'B', 'C', 'A'].map((code) => catalog.knows(code)));
    expect(answers).toEqual([true, true, false, true]);
    expect(list.reads).toBe(1);
  });

  it('rejects when the list cannot be read, and does not keep the failure', async () => {
    const list = reader(['A']);
    list.fail = true;
    const catalog = createCourseCatalog(list.read);
    await expect(catalog.knows('A')).rejects.toThrow('list unavailable');
    list.fail = false;
    expect(await catalog.knows('A')).toBe(true);
    expect(list.reads).toBe(2);
  });
});
