// Activities (mail.activity) and external ids (ir.model.data) as Odoo 17's mail and base addons define
// them, trimmed to what an integration schedules and looks up.

import { userError } from './faults';
import { char, constant, date, html, int, m2o, sel, type ModelApi, type ModelDef } from './schema-types';

/** mail's activity types, created at start-up in this order: [xml id name, name, category] */
export const ACTIVITY_TYPES: Array<[string, string, string]> = [
  ['mail_activity_data_email', 'Email', 'default'],
  ['mail_activity_data_call', 'Call', 'phonecall'],
  ['mail_activity_data_meeting', 'Meeting', 'meeting'],
  ['mail_activity_data_todo', 'To-Do', 'default'],
  ['mail_activity_data_upload_document', 'Upload Document', 'upload_document'],
];

/**
 * res_model_id is required and res_model follows it (a stored related field): an activity on a model is
 * scheduled by the ir.model id, which a client finds through ir.model.data (`model_helpdesk_ticket`)
 * when it may not read ir.model. The document must exist: Odoo subscribes the assignee to it.
 */
function activityCreate(vals: Record<string, unknown>, api: ModelApi): void {
  const modelId = vals.res_model_id;
  const model = typeof modelId === 'number' ? api.record('ir.model', modelId) : undefined;
  if (!model) return; // a missing or unknown res_model_id fails the ORM's own checks
  vals.res_model = model.model;
  const resId = vals.res_id;
  if (typeof resId === 'number' && !api.record(String(model.model), resId)) {
    throw userError(
      `Record does not exist or has been deleted.\n(Record: ${String(model.model)}(${resId},))`,
    );
  }
  const user = typeof vals.user_id === 'number' ? api.record('res.users', vals.user_id) : undefined;
  if (typeof resId === 'number' && typeof user?.partner_id === 'number') {
    api.follow(String(model.model), resId, user.partner_id);
  }
}

/** The default type when none is given: To-Do (mail.activity._default_activity_type). */
const todoType = (api: ModelApi) => api.search('mail.activity.type', [['name', '=', 'To-Do']])[0] ?? false;

export const mailModels: ModelDef[] = [
  {
    name: 'ir.model.data',
    description: 'Model Data',
    order: 'module, model, name',
    displayName: (rec) => `${String(rec.module)}.${String(rec.name)}`,
    fields: {
      name: char('External Identifier', { required: true }),
      module: char('Module', { required: true }),
      model: char('Model Name', { required: true }),
      res_id: int('Record ID'),
    },
  },
  {
    name: 'mail.activity.type',
    description: 'Activity Type',
    order: 'sequence, id',
    fields: {
      name: char('Name', { required: true }),
      sequence: int('Sequence', { default: constant(10) }),
      category: sel(
        [
          ['default', 'None'],
          ['upload_document', 'Upload Document'],
          ['phonecall', 'Phonecall'],
          ['meeting', 'Meeting'],
        ],
        'Action',
        { default: constant('default') },
      ),
      res_model: char('Model'),
    },
  },
  {
    name: 'mail.activity',
    description: 'Activity',
    order: 'date_deadline ASC, id ASC',
    beforeCreate: activityCreate,
    fields: {
      res_model_id: m2o('ir.model', 'Document Model', { required: true }),
      res_model: char('Related Document Model', { readonly: true }),
      res_id: int('Related Document ID', { required: true }),
      activity_type_id: m2o('mail.activity.type', 'Activity Type', { default: todoType }),
      summary: char('Summary'),
      note: html('Note'),
      date_deadline: date('Due Date', { required: true, default: (api) => api.now().slice(0, 10) }),
      user_id: m2o('res.users', 'Assigned to'),
    },
  },
];

/** The module an ir.model's external id `model_<name>` belongs to, as the addon defining it. */
export function definingModule(model: string, helpdeskModule: string): string {
  const prefix = model.split('.')[0] as string;
  const modules: Record<string, string> = {
    helpdesk: helpdeskModule,
    mail: 'mail',
    sale: 'sale',
    account: 'account',
    product: 'product',
    slide: 'website_slides',
    payment: 'payment',
  };
  return modules[prefix] ?? 'base';
}
