import {
  compileDomain,
  DomainError,
  type DomainSource,
  type FieldInfo,
  type Rec,
} from '../../../src/sim/odoo/domain';

// A tiny in-memory source: partners, categories (with parent_id), orders with lines, lines with a product.
const F = (type: string, extra: Partial<FieldInfo> = {}): FieldInfo => ({
  type,
  store: true,
  searchable: true,
  ...extra,
});
const fields: Record<string, Record<string, FieldInfo>> = {
  partner: {
    name: F('char'),
    email: F('char'),
    active: F('boolean'),
    categ_id: F('many2one', { relation: 'categ' }),
  },
  categ: { name: F('char'), parent_id: F('many2one', { relation: 'categ' }) },
  order: {
    name: F('char'),
    state: F('selection'),
    amount: F('float'),
    date: F('datetime'),
    partner_id: F('many2one', { relation: 'partner' }),
    line_ids: F('one2many', { relation: 'line' }),
    paid: F('float', { store: false, searchable: false }),
  },
  line: { product: F('char') },
};
const rows: Record<string, Rec[]> = {
  partner: [
    { id: 1, name: 'Alice', email: 'Alice@Example.com', active: true, categ_id: 3 },
    { id: 2, name: 'Bob', email: false, active: true, categ_id: 1 },
    { id: 3, name: 'Carol', email: 'carol@x.org', active: false, categ_id: false },
  ],
  categ: [
    { id: 1, name: 'Courses', parent_id: false },
    { id: 2, name: 'Kids', parent_id: 1 },
    { id: 3, name: 'Teens', parent_id: 2 },
    { id: 4, name: 'Fees', parent_id: false },
  ],
  order: [
    {
      id: 10,
      name: 'S00010',
      state: 'sale',
      amount: 100,
      date: '2024-01-01 10:00:00',
      partner_id: 1,
      line_ids: [100],
      paid: 0,
    },
    {
      id: 11,
      name: 'S00011',
      state: 'draft',
      amount: 50.5,
      date: '2024-01-02 00:00:00',
      partner_id: 2,
      line_ids: [101, 102],
      paid: 0,
    },
    {
      id: 12,
      name: 'S00012',
      state: 'cancel',
      amount: 0,
      date: false,
      partner_id: false,
      line_ids: [],
      paid: 0,
    },
  ],
  line: [
    { id: 100, product: 'PY-K12' },
    { id: 101, product: 'DS-101' },
    { id: 102, product: 'FEE' },
  ],
};
const src: DomainSource = {
  field: (model, name) => fields[model]?.[name],
  value: (_model, rec, name) => rec[name],
  record: (model, id) => rows[model]?.find((r) => r.id === id),
  descendants: (model, ids) => {
    const out = new Set<number>();
    const walk = (id: number) => {
      out.add(id);
      for (const r of rows[model] ?? []) if (r.parent_id === id) walk(r.id);
    };
    ids.forEach(walk);
    return out;
  },
  displayName: (_model, rec) => String(rec.name),
  nameSearch: (model, name) =>
    (rows[model] ?? [])
      .filter((r) => String(r.name).toLowerCase().includes(name.toLowerCase()))
      .map((r) => r.id),
};

const ids = (model: string, domain: unknown[], activeTest = true) =>
  (rows[model] ?? []).filter(compileDomain(src, model, domain, { activeTest })).map((r) => r.id);

describe('compileDomain: operators', () => {
  it.each<[string, unknown[], number[]]>([
    ['= on a selection', [['state', '=', 'sale']], [10]],
    ['!= keeps other values', [['state', '!=', 'sale']], [11, 12]],
    ['<> is !=', [['state', '<>', 'sale']], [11, 12]],
    ['in', [['state', 'in', ['sale', 'draft']]], [10, 11]],
    ['not in', [['state', 'not in', ['sale', 'draft']]], [12]],
    ['<', [['amount', '<', 50.5]], [12]],
    ['<=', [['amount', '<=', 50.5]], [11, 12]],
    ['>', [['amount', '>', 50.5]], [10]],
    ['>=', [['amount', '>=', 50.5]], [10, 11]],
    ['datetime >= a date means midnight', [['date', '>=', '2024-01-02']], [11]],
    ['datetime <= a date includes midnight', [['date', '<=', '2024-01-02']], [10, 11]],
    ['comparison never matches NULL', [['date', '<', '2030-01-01']], [10, 11]],
    ['like is case-sensitive substring', [['name', 'like', '0011']], [11]],
    ['ilike is case-insensitive', [['name', 'ilike', 's0001']], [10, 11, 12]],
    ['not like', [['name', 'not like', '0011']], [10, 12]],
    ['not ilike', [['name', 'not ilike', 's00010']], [11, 12]],
    ['=like uses the value as a pattern', [['name', '=like', 'S0001_']], [10, 11, 12]],
    ['=like anchors the pattern', [['name', '=like', '0001%']], []],
    ['=ilike', [['name', '=ilike', 's%12']], [12]],
    ['=? with false is always true', [['state', '=?', false]], [10, 11, 12]],
    ['=? with a value is =', [['state', '=?', 'draft']], [11]],
    ['id in', [['id', 'in', [10, 12]]], [10, 12]],
  ])('%s', (_, domain, expected) => {
    expect(ids('order', domain)).toEqual(expected);
  });
});

describe('compileDomain: false, NULL and prefix logic', () => {
  it.each<[string, string, unknown[], number[]]>([
    ['= false matches an empty many2one', 'order', [['partner_id', '=', false]], [12]],
    ['!= false matches a set many2one', 'order', [['partner_id', '!=', false]], [10, 11]],
    ['= false on a char matches empty', 'partner', [['email', '=', false]], [2]],
    ['!= value keeps NULLs (Odoo 17)', 'partner', [['email', '!=', 'x']], [1, 2]],
    ['in with false includes NULL', 'partner', [['email', 'in', [false, 'nobody']]], [2]],
    ['not ilike keeps NULLs', 'partner', [['email', 'not ilike', 'example']], [2]],
    ['ilike never matches NULL', 'partner', [['email', 'ilike', '']], [1]],
    [
      'implicit & between leaves',
      'order',
      [
        ['state', 'in', ['sale', 'draft']],
        ['amount', '>', 60],
      ],
      [10],
    ],
    ['| of two leaves', 'order', ['|', ['state', '=', 'sale'], ['state', '=', 'cancel']], [10, 12]],
    ['! negates', 'order', ['!', ['state', '=', 'sale']], [11, 12]],
    [
      'nested prefix',
      'order',
      ['&', '|', ['state', '=', 'sale'], ['state', '=', 'draft'], '!', ['amount', '<', 60]],
      [10],
    ],
    [
      '| followed by an implicit &',
      'order',
      ['|', ['state', '=', 'sale'], ['state', '=', 'draft'], ['amount', '<', 60]],
      [11],
    ],
    ['TRUE_LEAF and FALSE_LEAF', 'order', ['|', [0, '=', 1], [1, '=', 1]], [10, 11, 12]],
  ])('%s', (_, model, domain, expected) => {
    expect(ids(model, domain)).toEqual(expected);
  });
});

describe('compileDomain: relations, hierarchy, active and unsearchable fields', () => {
  it.each<[string, string, unknown[], number[], boolean?]>([
    ['dotted path through a many2one', 'order', [['partner_id.email', 'ilike', 'example.COM']], [10]],
    ['dotted path through a one2many (any line)', 'order', [['line_ids.product', '=', 'FEE']], [11]],
    ['one2many = false is "no lines"', 'order', [['line_ids', '=', false]], [12]],
    ['one2many in ids', 'order', [['line_ids', 'in', [100, 102]]], [10, 11]],
    ['many2one compared to a name searches display names', 'order', [['partner_id', 'ilike', 'ali']], [10]],
    ['child_of includes sub-categories', 'partner', [['categ_id', 'child_of', [1]]], [1, 2]],
    ['child_of on the model itself', 'categ', [['id', 'child_of', 1]], [1, 2, 3]],
    ['child_of with a name', 'categ', [['id', 'child_of', 'kids']], [2, 3]],
    ['parent_of', 'categ', [['id', 'parent_of', [3]]], [1, 2, 3]],
    ['archived records are hidden by default', 'partner', [], [1, 2]],
    ['active_test false shows archived records', 'partner', [], [1, 2, 3], false],
    ['a leaf on active disables the implicit filter', 'partner', [['active', '=', false]], [3]],
    ['a leaf on a non-stored field without search is dropped', 'order', [['paid', '>', 1000]], [10, 11, 12]],
  ])('%s', (_, model, domain, expected, activeTest = true) => {
    expect(ids(model, domain, activeTest)).toEqual(expected);
  });

  it.each<[string, unknown[], RegExp]>([
    ['an unknown field', [['foo', '=', 1]], /^Invalid field order\.foo in leaf \('foo', '=', 1\)$/],
    ['an unknown field after a dot', [['partner_id.foo', '=', 1]], /^Invalid field partner\.foo in leaf/],
    ['a dotted path on a scalar', [['name.x', '=', 1]], /^Invalid field order\.name in leaf/],
    ['an unknown operator', [['name', 'contains', 'x']], /^Invalid leaf \('name', 'contains', 'x'\)$/],
    ['a missing operand', ['|', ['name', '=', 'x']], /missing operand/],
    ['a malformed leaf', [['name', '=']], /^Invalid leaf/],
  ])('rejects %s with a ValueError', (_, domain, message) => {
    expect(() => compileDomain(src, 'order', domain)).toThrow(DomainError);
    expect(() => compileDomain(src, 'order', domain)).toThrow(message);
  });
});
