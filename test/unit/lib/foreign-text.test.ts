import { boundForeignText, FOREIGN_TEXT_MAX } from '../../../src/lib/foreign-text';

const traceback = (frames: number, last: string) =>
  `Traceback (most recent call last):\n${'  File "/odoo/models.py", line 1, in write\n'.repeat(frames)}${last}\n`;

describe('boundForeignText', () => {
  it.each<[string, string, number]>([
    ['a 5 MB single line', 'x'.repeat(5_000_000), FOREIGN_TEXT_MAX],
    [
      'a 5 MB traceback',
      traceback(120_000, "ValueError: Wrong value for sale.order.x: 'y'"),
      FOREIGN_TEXT_MAX,
    ],
    [
      'a traceback with a 5 MB last line',
      traceback(3, `ValueError: ${'v'.repeat(5_000_000)}`),
      FOREIGN_TEXT_MAX,
    ],
    ['a small bound', traceback(100, 'KeyError: 7'), 200],
  ])('bounds %s to the limit', (_, text, max) => {
    const bounded = boundForeignText(text, max);
    expect(bounded.length).toBeLessThanOrEqual(max);
    expect(bounded.startsWith(text.slice(0, 20))).toBe(true);
    expect(bounded).toMatch(/ … \[\d+ characters left out\] …/);
  });

  it('keeps the head and the last line of a traceback, and says how much it left out', () => {
    const text = traceback(120_000, "ValueError: Wrong value for sale.order.x: 'y'");
    const bounded = boundForeignText(text);
    expect(bounded.startsWith('Traceback (most recent call last):\n  File')).toBe(true);
    expect(bounded.endsWith("ValueError: Wrong value for sale.order.x: 'y'")).toBe(true);
    const omitted = Number(/\[(\d+) characters left out\]/.exec(bounded)?.[1]);
    expect(omitted).toBeGreaterThan(text.length - FOREIGN_TEXT_MAX);
    expect(omitted).toBeLessThan(text.length);
  });

  it.each<[string, string]>([
    ['short text', 'KeyError: 7'],
    ['empty text', ''],
    ['two lines', 'two\nlines'],
    ['text exactly at the limit', 'y'.repeat(FOREIGN_TEXT_MAX)],
  ])('leaves %s as it is', (_, text) => expect(boundForeignText(text)).toBe(text));

  it('never splits a surrogate pair', () => {
    const bounded = boundForeignText('😀'.repeat(5000), 101);
    expect(bounded).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('boundForeignText on a text bounded before', () => {
  it.each<[string, (bounded: string) => string]>([
    ['prefixed', (b) => `Odoo sale.order.read: ${b}`],
    ['prefixed twice', (b) => `retries_exhausted:odoo_user_error: Odoo sale.order.read: ${b}`],
  ])('keeps one marker and the last line when %s', (_, extend) => {
    const text = `Traceback (most recent call last):\n${'  File "x.py", line 1\n'.repeat(100_000)}KeyError: 7\n`;
    const again = boundForeignText(extend(boundForeignText(text)));
    expect(again.length).toBeLessThanOrEqual(FOREIGN_TEXT_MAX);
    expect(again.match(/characters left out/g)).toHaveLength(1);
    expect(again.endsWith(' … KeyError: 7')).toBe(true);
    const omitted = Number(/\[(\d+) characters left out\]/.exec(again)?.[1]);
    expect(omitted + again.length).toBeGreaterThanOrEqual(text.trimEnd().length);
  });
});
