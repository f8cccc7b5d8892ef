// An open-addressing hash table from a pair of int32 keys to linked lists of item numbers (positions in
// the caller's arrays), all in typed arrays. The diff joins two million-item inputs on (course, student):
// as nested Maps that cost ~130 MB and seconds (on small VMs a fresh page is slow to touch, so memory is
// time); here a key costs 4 bytes per key and per list head, an item 4 bytes of link, and nothing is a
// heap object the garbage collector has to trace.

const FREE = 0; // keyA, heads and links hold value + 1, so a zeroed array is an empty table without a fill
const MAX_LOAD = 0.75; // linear probing stays short below this; sizes are not powers of two, to save memory

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class PairTable {
  private keyAs: Int32Array;
  private keyBs: Int32Array;
  private heads: Int32Array[];
  private readonly links: Int32Array[];
  private size: number;
  private used = 0;

  /**
   * `listSizes[l]` bounds the item numbers of list l; `expectedKeys` sizes the table (it grows past it).
   * Key a must be ≥ 0 (the diff's course numbers); key b is any int32.
   */
  constructor(listSizes: readonly number[], expectedKeys: number) {
    this.size = Math.max(16, Math.ceil(expectedKeys / MAX_LOAD));
    this.keyAs = new Int32Array(this.size);
    this.keyBs = new Int32Array(this.size);
    this.heads = listSizes.map(() => new Int32Array(this.size));
    this.links = listSizes.map((n) => new Int32Array(n));
  }

  /** Slots are numbered 0 ≤ slot < capacity; callers walk all keys with firstAt. */
  get capacity(): number {
    return this.size;
  }

  add(list: number, a: number, b: number, item: number): void {
    let slot = this.slotOf(a, b);
    if (this.keyAs[slot] === FREE) {
      if (this.used + 1 > this.size * MAX_LOAD) {
        this.grow();
        slot = this.slotOf(a, b);
      }
      this.keyAs[slot] = a + 1;
      this.keyBs[slot] = b;
      this.used++;
    }
    const heads = this.heads[list]!;
    this.links[list]![item] = heads[slot]!; // prepend: list order is irrelevant, findings get sorted
    heads[slot] = item + 1;
  }

  /** The slot of key (a, b), for firstAt: where it is, or a free slot (no items) when it is absent. */
  slot(a: number, b: number): number {
    return this.slotOf(a, b);
  }

  /** The item after `item` in its list, or -1. */
  next(list: number, item: number): number {
    return this.links[list]![item]! - 1;
  }

  /** First item of list `list` in slot `slot`, or -1 (a free slot, or no item of that list). */
  firstAt(list: number, slot: number): number {
    return this.heads[list]![slot]! - 1;
  }

  keyA(slot: number): number {
    return this.keyAs[slot]! - 1;
  }

  /** The slot holding (a, b), or the free slot where it would go (linear probing). */
  private slotOf(a: number, b: number): number {
    const stored = a + 1;
    let slot = mix(a, b) % this.size;
    for (;;) {
      const k = this.keyAs[slot]!;
      if (k === FREE || (k === stored && this.keyBs[slot] === b)) return slot;
      slot = slot + 1 === this.size ? 0 : slot + 1;
    }
  }

  /** Doubles the slots; links are per item, so only keys and heads move. */
  private grow(): void {
    const { keyAs, keyBs, heads } = this;
    this.size *= 2;
    this.keyAs = new Int32Array(this.size);
    this.keyBs = new Int32Array(this.size);
    this.heads = heads.map(() => new Int32Array(this.size));
    for (let old = 0; old < keyAs.length; old++) {
      if (keyAs[old] === FREE) continue;
      const slot = this.slotOf(keyAs[old]! - 1, keyBs[old]!);
      this.keyAs[slot] = keyAs[old]!;
      this.keyBs[slot] = keyBs[old]!;
      heads.forEach((h, l) => (this.heads[l]![slot] = h[old]!));
    }
  }
}

/**
 * A multimap from a key pair to item numbers, for items that carry their keys in the caller's typed
 * arrays (`a[item]`, `b[stride·item]`). A slot stores its list head and the key's 32-bit mix, so probing
 * compares neighbouring slots and reads an item's keys only when the mixes agree: 8 bytes a slot, where
 * PairTable needs 12. Sized once for `maxItems`, so it never grows.
 */
export class GroupTable {
  private readonly heads: Int32Array;
  private readonly mixes: Int32Array;
  private readonly links: Int32Array;
  private readonly size: number;

  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
    private readonly stride: number,
    maxItems: number,
  ) {
    this.size = Math.max(16, Math.ceil(maxItems / MAX_LOAD));
    this.heads = new Int32Array(this.size);
    this.mixes = new Int32Array(this.size);
    this.links = new Int32Array(a.length);
  }

  get capacity(): number {
    return this.size;
  }

  add(item: number): void {
    const slot = this.slotOf(this.a[item]!, this.b[this.stride * item]!);
    this.links[item] = this.heads[slot]!;
    this.heads[slot] = item + 1;
  }

  /** First item under key (a, b), or -1. */
  first(a: number, b: number): number {
    return this.heads[this.slotOf(a, b)]! - 1;
  }

  next(item: number): number {
    return this.links[item]! - 1;
  }

  firstAt(slot: number): number {
    return this.heads[slot]! - 1;
  }

  /** The slot of (a, b), or the free slot where it goes (and then its mix is recorded already). */
  private slotOf(a: number, b: number): number {
    const m = mix(a, b);
    let slot = m % this.size;
    for (;;) {
      const head = this.heads[slot]! - 1;
      if (head < 0) {
        this.mixes[slot] = m;
        return slot;
      }
      if (this.mixes[slot] === (m | 0) && this.a[head] === a && this.b[this.stride * head] === b) return slot;
      slot = slot + 1 === this.size ? 0 : slot + 1;
    }
  }
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Two independent 32-bit hashes of `s` (FNV-1a and a murmur-style mix) written at out[2·at], out[2·at+1].
 * The diff compares emails by these 64 bits on its hot path instead of reading both strings again; two
 * different emails agree on all 64 with odds of about 1 in 10^19.
 */
export function hash64Into(s: string, out: Int32Array, at: number): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  out[2 * at] = fmix(h1);
  out[2 * at + 1] = fmix(h2 ^ s.length);
}
