// res.partner.address_get as Odoo 17 does it (odoo/addons/base/models/res_partner.py): the sale order's
// invoice and delivery addresses default to the customer's first contact of that type, found depth
// first among its non-company children, then among its ancestors' up to the commercial entity.
import type { Rec } from './domain';
import type { ModelApi } from './schema-types';

type AddressType = 'contact' | 'invoice' | 'delivery' | 'other';

// child_ids comes from the store's parent_id index: a search would scan every partner, once per order
function childrenOf(api: ModelApi, record: Rec): Rec[] {
  const ids = (api.value('res.partner', record, 'child_ids') as number[] | undefined) ?? [];
  return [...ids]
    .sort((a, b) => a - b)
    .flatMap((childId) => api.record('res.partner', childId) ?? [])
    .filter((c) => !c.is_company && c.active !== false);
}

/** The id of `partnerId`'s address of `type`: a contact of that type, else its `contact`, else itself. */
export function addressGet(api: ModelApi, partnerId: number, type: AddressType): number {
  const wanted = new Set<string>([type, 'contact']);
  const found = new Map<string, number>();
  const visited = new Set<number>();
  let current = api.record('res.partner', partnerId);
  while (current) {
    const toScan: Rec[] = [current];
    while (toScan.length > 0) {
      const record = toScan.shift() as Rec;
      visited.add(record.id);
      const recordType = typeof record.type === 'string' ? record.type : 'contact';
      if (wanted.has(recordType) && !found.has(recordType)) found.set(recordType, record.id);
      if (found.size === wanted.size) return found.get(type) as number;
      toScan.unshift(...childrenOf(api, record).filter((c) => !visited.has(c.id)));
    }
    if (current.is_company || typeof current.parent_id !== 'number') break;
    current = api.record('res.partner', current.parent_id);
  }
  return found.get(type) ?? found.get('contact') ?? partnerId;
}
