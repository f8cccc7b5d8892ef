// The public ORM methods the simulator answers through execute_kw, with Odoo 17's signatures (docs/odoo.md).

import {
  bindArgs,
  domainArg,
  optionalFields,
  optionalNumber,
  optionalString,
  toIds,
  type Signature,
} from './call-args';
import { serverError } from './faults';
import { aclRefusal, mayWriteCourse } from './acl';
import { postMessage } from './mail';
import { addMember } from './schema-slides';
import type { OdooStore } from './store';
import { PyFloat } from './xml-write';

export interface CallContext {
  store: OdooStore;
  model: string;
  activeTest: boolean;
  /** the call's kwargs.context */
  context: Record<string, unknown>;
}

type Handler = (ctx: CallContext, a: Record<string, unknown>) => unknown;

interface MethodDef {
  sig: Signature;
  /** record methods take the ids as args[0] */
  ids?: boolean;
  /** only on these models (mixins such as mail.thread) */
  models?: (ctx: CallContext) => boolean;
  run: Handler;
}

const wrapFloat = (n: number): PyFloat => new PyFloat(n);

function searchOptions(ctx: CallContext, a: Record<string, unknown>) {
  return {
    offset: optionalNumber(a.offset, 0),
    limit: optionalNumber(a.limit, undefined),
    order: optionalString(a.order),
    activeTest: ctx.activeTest,
  };
}

const METHODS: Record<string, MethodDef> = {
  search: {
    sig: { qualname: 'BaseModel.search', params: ['domain', 'offset', 'limit', 'order'] },
    run: (ctx, a) => ctx.store.search(ctx.model, domainArg(a.domain), searchOptions(ctx, a)),
  },
  search_count: {
    sig: { qualname: 'BaseModel.search_count', params: ['domain', 'limit'] },
    run: (ctx, a) =>
      ctx.store.count(ctx.model, domainArg(a.domain), {
        activeTest: ctx.activeTest,
        limit: optionalNumber(a.limit, undefined),
      }),
  },
  search_read: {
    sig: {
      qualname: 'BaseModel.search_read',
      params: ['domain', 'fields', 'offset', 'limit', 'order'],
      varKeywords: ['load'],
    },
    run: (ctx, a) => {
      const ids = ctx.store.search(ctx.model, domainArg(a.domain), searchOptions(ctx, a));
      return ctx.store.read(ctx.model, ids, optionalFields(a.fields), {
        load: loadArg(a.load),
        wrapFloat,
        activeTest: ctx.activeTest,
      });
    },
  },
  read: {
    sig: { qualname: 'BaseModel.read', params: ['fields', 'load'] },
    ids: true,
    run: (ctx, a) =>
      ctx.store.read(ctx.model, a.ids as number[], optionalFields(a.fields), {
        load: loadArg(a.load),
        wrapFloat,
        activeTest: ctx.activeTest,
      }),
  },
  create: {
    sig: { qualname: 'BaseModel.create', params: ['vals_list'] },
    run: (ctx, a) => create(ctx, a.vals_list),
  },
  write: {
    sig: { qualname: 'BaseModel.write', params: ['vals'] },
    ids: true,
    run: (ctx, a) => {
      ctx.store.write(ctx.model, a.ids as number[], asVals(a.vals));
      return true;
    },
  },
  unlink: {
    sig: { qualname: 'BaseModel.unlink', params: [] },
    ids: true,
    run: (ctx, a) => {
      ctx.store.unlink(ctx.model, a.ids as number[]);
      return true;
    },
  },
  fields_get: {
    sig: { qualname: 'BaseModel.fields_get', params: ['allfields', 'attributes'] },
    run: (ctx, a) => fieldsGet(ctx, optionalFields(a.allfields), optionalFields(a.attributes)),
  },
  name_search: {
    sig: { qualname: 'BaseModel.name_search', params: ['name', 'args', 'operator', 'limit'] },
    run: (ctx, a) => nameSearch(ctx, a),
  },
  message_post: {
    sig: {
      qualname: 'MailThread.message_post',
      params: [],
      keywordOnly: [
        'body',
        'subject',
        'message_type',
        'subtype_xmlid',
        'subtype_id',
        'partner_ids',
        'body_is_html',
      ],
    },
    ids: true,
    models: (ctx) => ctx.store.modelDef(ctx.model).mailThread === true,
    run: (ctx, a) => postMessage(ctx.store, ctx.model, a.ids as number[], a, ctx.context),
  },
  check_access_rights: {
    sig: { qualname: 'BaseModel.check_access_rights', params: ['operation', 'raise_exception'] },
    run: (ctx, a) => {
      const refused = aclRefusal(ctx.store, ctx.model, String(a.operation));
      if (refused && a.raise_exception !== false) throw refused;
      return refused === null;
    },
  },
  // @api.model on res.users: whether the calling user is in the group (an xml id)
  has_group: {
    sig: { qualname: 'Users.has_group', params: ['group_ext_id'] },
    models: (ctx) => ctx.model === 'res.users',
    run: (ctx, a) => userGroups(ctx.store).has(String(a.group_ext_id)),
  },
  action_confirm: {
    sig: { qualname: 'SaleOrder.action_confirm', params: [] },
    ids: true,
    models: (ctx) => ctx.model === 'sale.order',
    run: (ctx, a) => {
      ctx.store.write('sale.order', a.ids as number[], { state: 'sale' });
      return true;
    },
  },
  // slide.channel.action_grant_access returns None: the membership is committed, then marshalling fails
  // (docs/odoo.md, "eLearning").
  action_grant_access: {
    sig: { qualname: 'Channel.action_grant_access', params: ['partner_id'] },
    ids: true,
    models: (ctx) => ctx.model === 'slide.channel',
    run: (ctx, a) => {
      // Odoo: a partner that does not exist adds nobody; an On Invitation course only takes members from a
      // user who may write it (_filter_add_members); the rest is done in sudo, whatever the user's rights
      if (!ctx.store.record('res.partner', Number(a.partner_id))) return undefined;
      for (const channelId of a.ids as number[]) {
        const invite = ctx.store.record('slide.channel', channelId)?.enroll === 'invite';
        if (!invite || mayWriteCourse(ctx.store, channelId))
          addMember(ctx.store, channelId, Number(a.partner_id));
      }
      return undefined;
    },
  },
};

/** The groups the simulator's user is in, of those a client asks about. */
function userGroups(store: OdooStore): Set<string> {
  const groups = new Set(['base.group_user']);
  if (store.elearningOfficer) groups.add('website_slides.group_website_slides_officer');
  if (store.elearningOfficer && store.elearningManager)
    groups.add('website_slides.group_website_slides_manager');
  return groups;
}

function loadArg(value: unknown): string | false {
  return value === undefined || value === null ? '_classic_read' : (value as string | false);
}

function asVals(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serverError(
      `AttributeError: '${Array.isArray(value) ? 'list' : typeof value}' object has no attribute 'items'`,
    );
  }
  return value as Record<string, unknown>;
}

function create(ctx: CallContext, valsList: unknown): number | number[] {
  if (Array.isArray(valsList)) return valsList.map((vals) => ctx.store.create(ctx.model, asVals(vals)));
  return ctx.store.create(ctx.model, asVals(valsList));
}

const FIELD_ATTRIBUTES = [
  'type',
  'string',
  'relation',
  'selection',
  'required',
  'readonly',
  'store',
  'searchable',
  'sortable',
];

function fieldsGet(ctx: CallContext, allfields?: string[], attributes?: string[]): Record<string, unknown> {
  const fields = ctx.store.modelDef(ctx.model).fields;
  const out: Record<string, unknown> = {};
  const all = { id: { type: 'integer', string: 'ID', readonly: true }, ...fields };
  for (const [name, f] of Object.entries(all)) {
    if (allfields && !allfields.includes(name)) continue;
    const info = ctx.store.field(ctx.model, name);
    // a one2many has no column but is stored unless computed; only columns sort (Field._description_sortable)
    const store = f.type === 'one2many' ? !('compute' in f && f.compute) : (info?.store ?? true);
    const desc: Record<string, unknown> = {
      type: f.type,
      string: f.string,
      required: 'required' in f ? Boolean(f.required) : false,
      readonly: Boolean(f.readonly),
      store,
      searchable: info?.searchable ?? true,
      sortable: store && f.type !== 'one2many' && f.type !== 'many2many',
    };
    if ('relation' in f && f.relation) desc.relation = f.relation;
    if ('selection' in f && f.selection) desc.selection = f.selection;
    const keys = attributes ?? FIELD_ATTRIBUTES;
    out[name] = Object.fromEntries(Object.entries(desc).filter(([k]) => keys.includes(k)));
  }
  return out;
}

function nameSearch(ctx: CallContext, a: Record<string, unknown>): Array<[number, string]> {
  const name = typeof a.name === 'string' ? a.name : '';
  const operator = typeof a.operator === 'string' ? a.operator : 'ilike';
  const domain = [...domainArg(a.args), ...(name ? [['display_name', operator, name]] : [])];
  const ids = ctx.store.search(ctx.model, domain, {
    limit: optionalNumber(a.limit, 100),
    activeTest: ctx.activeTest,
  });
  return ids.map((id) => [id, ctx.store.displayName(ctx.model, ctx.store.record(ctx.model, id) as never)]);
}

/** Runs one ORM method; throws SimFault for anything Odoo would turn into a Fault. */
export function callModelMethod(
  ctx: CallContext,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): unknown {
  const def = Object.prototype.hasOwnProperty.call(METHODS, method) ? METHODS[method] : undefined;
  if (!def || (def.models && !def.models(ctx))) {
    throw serverError(`AttributeError: '${ctx.model}' object has no attribute '${method}'`);
  }
  if (!def.ids) return def.run(ctx, bindArgs(def.sig, args, kwargs));
  const ids = toIds(args[0]);
  return def.run(ctx, { ...bindArgs(def.sig, args.slice(1), kwargs), ids });
}
