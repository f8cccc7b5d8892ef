// Odoo 17's eLearning (website_slides) as the odoo-elearning LMS adapter meets it: courses
// (slide.channel) with the course code the optional lms_sync_slides addon adds, and memberships
// (slide.channel.partner), whose ACL only the eLearning Officer group has.

import type { Rec } from './domain';
import type { OdooStore } from './store';
import { active, bool, char, constant, int, m2o, sel, type ModelApi, type ModelDef } from './schema-types';

/** The field odoo-addon/lms_sync_slides adds to slide.channel: the course code the service sells. */
export const COURSE_CODE_FIELD = 'lms_course_code';

/** The models of the eLearning LMS: where a simulated LMS outage hits. */
export const ELEARNING_MODELS: readonly string[] = ['slide.channel', 'slide.channel.partner'];

export function slidesModels(options: { slidesAddonInstalled: boolean }): ModelDef[] {
  return [
    {
      name: 'slide.channel',
      description: 'Course',
      order: 'sequence, id',
      mailThread: true,
      fields: {
        name: char('Name', { required: true }),
        sequence: int('Sequence', { default: constant(10) }),
        is_published: bool('Is Published'),
        // the Responsible: Odoo defaults it to the creator; the seeded courses have none
        user_id: m2o('res.users', 'Responsible'),
        enroll: sel(
          [
            ['public', 'Open'],
            ['invite', 'On Invitation'],
          ],
          'Enroll Policy',
          { required: true, default: constant('public') },
        ),
        ...(options.slidesAddonInstalled
          ? { [COURSE_CODE_FIELD]: char('LMS Course Code', { default: constant(false) }) }
          : {}),
        active: active(),
      },
      ...(options.slidesAddonInstalled
        ? {
            unique: {
              fields: [COURSE_CODE_FIELD],
              message: 'Another course already has this LMS course code.',
              skipEmpty: true,
            },
          }
        : {}),
    },
    {
      name: 'slide.channel.partner',
      description: 'Channel / Partners (Members)',
      order: 'id',
      officerOnly: true,
      logCreations: true,
      // the SQL constraint: archived memberships count too
      unique: {
        fields: ['channel_id', 'partner_id'],
        message: 'A partner membership to a channel must be unique!',
      },
      fields: {
        channel_id: m2o('slide.channel', 'Course', { required: true }),
        partner_id: m2o('res.partner', 'Partner', { required: true }),
        partner_email: char('Email', {
          readonly: true,
          store: false,
          searchable: true,
          compute: (rec, api) => partnerEmail(rec, api),
        }),
        member_status: sel(
          [
            ['invited', 'Invite Sent'],
            ['joined', 'Joined'],
            ['ongoing', 'Ongoing'],
            ['completed', 'Finished'],
          ],
          'Attendee Status',
          { readonly: true, required: true, default: constant('joined') },
        ),
        completion: int('% Completed Contents', { default: constant(0) }),
        active: active(),
      },
    },
  ];
}

function partnerEmail(rec: Rec, api: ModelApi): unknown {
  const partner = typeof rec.partner_id === 'number' ? api.record('res.partner', rec.partner_id) : undefined;
  return partner?.email ?? false;
}

/**
 * _action_add_members as slide.channel.action_grant_access runs it: an archived membership is
 * unarchived, an invitation becomes a membership, a missing one is created. The caller returns None.
 */
export function addMember(store: OdooStore, channelId: number, partnerId: number): void {
  const [existing] = store.search(
    'slide.channel.partner',
    [
      ['channel_id', '=', channelId],
      ['partner_id', '=', partnerId],
    ],
    { activeTest: false },
  );
  if (existing === undefined) {
    store.create('slide.channel.partner', { channel_id: channelId, partner_id: partnerId });
    return;
  }
  const rec = store.record('slide.channel.partner', existing);
  const invited = rec?.member_status === 'invited';
  store.write('slide.channel.partner', [existing], {
    active: true,
    ...(invited ? { member_status: 'joined' } : {}),
  });
}
