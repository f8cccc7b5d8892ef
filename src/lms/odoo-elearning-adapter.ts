// The `odoo-elearning` LMS adapter: Odoo's eLearning (website_slides) over XML-RPC. A course is a
// slide.channel found by the course code the optional lms_sync_slides addon adds (lms_course_code); an
// enrollment is a slide.channel.partner. Private methods cannot be called over RPC, and the public
// slide.channel.action_grant_access returns None, which XML-RPC answers with Fault 1 *after* committing the
// membership: so the adapter writes the membership itself, looking before it writes (Odoo has no
// idempotency keys), suspends by archiving it and re-enrolls by unarchiving it.
import { z } from 'zod';
import { createXmlRpcTransport } from '../odoo';
import type { Logger } from '../observability';
import type { EnrollRequest, LmsAdapter, LmsEnrollment } from './adapter';
import {
  isDuplicateMembership,
  lmsErrorFor,
  NEEDED_RIGHTS,
  parsedAnswer,
  WHERE,
} from './odoo-elearning-errors';
import { partnersByReference, samePartners, type ElearningCall } from './odoo-elearning-learners';
import { COURSE_LIST_TTL_MS } from './course-catalog';
import { LmsPermanentError, LmsTransientError } from './rest-errors';

export interface OdooElearningAdapterOptions {
  url: string;
  db: string;
  username: string;
  apiKey: string;
  timeoutMs: number;
  /** the eLearning database is the one the service sells from: its partners are the learners */
  sameDatabase: boolean;
  log: Logger;
  maxResponseBytes?: number;
  /** eLearning calls in flight at once, apart from the service's other Odoo calls (default 4) */
  maxConcurrency?: number;
  /** how long the course list (code → slide.channel) is trusted (default a minute) */
  courseListTtlMs?: number;
}

/** The slide.channel field holding the course code (odoo-addon/lms_sync_slides). */
export const COURSE_CODE_FIELD = 'lms_course_code';
const MEMBERSHIP = 'slide.channel.partner';
const ALL = { active_test: false };
const MANAGER_GROUP = 'website_slides.group_website_slides_manager';

const many2one = z.union([z.tuple([z.number().int(), z.string()]), z.literal(false)]);
const channelRows = z.array(
  z.object({ id: z.number().int(), name: z.string(), [COURSE_CODE_FIELD]: z.string() }),
);
const codeRows = z.array(z.object({ id: z.number().int(), [COURSE_CODE_FIELD]: z.string() }));
const membershipRows = z.array(
  z.object({
    id: z.number().int(),
    active: z.boolean(),
    member_status: z.string(),
  }),
);
const listedRows = z.array(
  z.object({
    id: z.number().int(),
    channel_id: many2one,
    partner_id: many2one,
    partner_email: z.union([z.string(), z.literal(false)]),
    active: z.boolean(),
  }),
);

interface Channels {
  byCode: Map<string, { id: number; title: string }>;
  byId: Map<number, string>;
  at: number;
}

export type OdooElearningAdapter = LmsAdapter & { close(): void };

export function createOdooElearningAdapter(options: OdooElearningAdapterOptions): OdooElearningAdapter {
  const { timeoutMs } = options;
  const transport = createXmlRpcTransport({
    url: options.url,
    db: options.db,
    username: options.username,
    apiKey: options.apiKey,
    timeoutMs,
    log: options.log,
    // the consumer's retry ladder and the reconciler's retries decide; a write is never sent twice here
    retryDelaysMs: [],
    maxConcurrency: options.maxConcurrency ?? 4,
    maxResponseBytes: options.maxResponseBytes,
  });
  const ttlMs = options.courseListTtlMs ?? COURSE_LIST_TTL_MS;

  const call: ElearningCall = async (model, method, args, kwargs = {}, secrets = []) => {
    try {
      return await transport.executeKw(model, method, args, kwargs);
    } catch (err) {
      throw lmsErrorFor(err, `${model}.${method}`, timeoutMs, secrets);
    }
  };
  const learners = options.sameDatabase ? samePartners() : partnersByReference(call);

  let cached: Channels | null = null;
  let reading: Promise<Channels> | null = null;
  /** The courses with a code, read at most once per TTL (or now, when `fresh`) and shared by callers. */
  function channels(fresh = false): Promise<Channels> {
    if (!fresh && cached && Date.now() - cached.at < ttlMs) return Promise.resolve(cached);
    reading ??= readChannels().finally(() => {
      reading = null;
    });
    return reading;
  }
  async function readChannels(): Promise<Channels> {
    const answer = await call('slide.channel', 'search_read', [[[COURSE_CODE_FIELD, '!=', false]]], {
      fields: ['name', COURSE_CODE_FIELD],
    });
    const rows = parsedAnswer(channelRows, answer, 'slide.channel.search_read');
    const next: Channels = { byCode: new Map(), byId: new Map(), at: Date.now() };
    for (const row of rows) {
      const code = row[COURSE_CODE_FIELD] as string;
      if (next.byCode.has(code)) continue; // the addon keeps codes unique; the first by sequence wins
      next.byCode.set(code, { id: row.id, title: row.name });
      next.byId.set(row.id, code);
    }
    cached = next;
    return next;
  }

  /** The course's slide.channel id. A code missing from the cached list is looked up afresh first. */
  async function channelFor(courseCode: string): Promise<number> {
    const known = (await channels()).byCode.get(courseCode) ?? (await channels(true)).byCode.get(courseCode);
    if (known) return known.id;
    throw new LmsPermanentError(
      'lms_unknown_course',
      `${WHERE}: no active course (slide.channel) has ${COURSE_CODE_FIELD} "${courseCode.slice(0, 80)}"`,
      null,
    );
  }

  async function membership(channelId: number, partnerId: number) {
    const domain = [
      ['channel_id', '=', channelId],
      ['partner_id', '=', partnerId],
    ];
    const answer = await call(MEMBERSHIP, 'search_read', [domain], {
      fields: ['active', 'member_status'],
      limit: 1,
      context: ALL,
    });
    return parsedAnswer(membershipRows, answer, `${MEMBERSHIP}.search_read`)[0];
  }

  async function enroll(req: EnrollRequest) {
    const secrets = [req.student.email ?? '', req.student.guardian?.email ?? ''].filter(Boolean);
    const channelId = await channelFor(req.courseCode);
    const partnerId = (await learners.partnerFor(req.student, true)) as number;
    let existing = await membership(channelId, partnerId);
    if (!existing) {
      try {
        const id = await transport.executeKw<number>(MEMBERSHIP, 'create', [
          { channel_id: channelId, partner_id: partnerId },
        ]);
        return { enrollmentId: String(id), status: 'active', created: true };
      } catch (err) {
        // a concurrent call (the same message redelivered) created it first: this one created nothing
        existing = isDuplicateMembership(err) ? await membership(channelId, partnerId) : undefined;
        if (!existing) throw lmsErrorFor(err, `${MEMBERSHIP}.create`, timeoutMs, secrets);
      }
    }
    if (!existing.active || existing.member_status === 'invited') {
      // unarchive (re-enroll after a suspend); an invitation becomes a membership, as Odoo's own enroll does
      const vals = {
        active: true,
        ...(existing.member_status === 'invited' ? { member_status: 'joined' } : {}),
      };
      await call(MEMBERSHIP, 'write', [[existing.id], vals]);
    }
    return { enrollmentId: String(existing.id), status: 'active', created: false };
  }

  /** Refuses a user who is not the Responsible of some course with a code (the Officer's record rule). */
  async function ownsEveryCourse(): Promise<void> {
    const domain = [
      [COURSE_CODE_FIELD, '!=', false],
      '|',
      ['user_id', '=', false],
      ['user_id.login', '!=', options.username],
    ];
    const answer = await call('slide.channel', 'search_read', [domain], {
      fields: [COURSE_CODE_FIELD],
      limit: 5,
    });
    const others = parsedAnswer(codeRows, answer, 'slide.channel.search_read');
    if (others.length === 0) return;
    const codes = others.map((r) => r[COURSE_CODE_FIELD].slice(0, 40)).join(', ');
    throw new LmsTransientError(
      'lms_auth_failed',
      `${WHERE}: ${NEEDED_RIGHTS}, and it is not the Responsible of ${codes}${others.length === 5 ? ', …' : ''}`,
      null,
    );
  }

  async function listEnrollments(cursor: string | null, limit: number) {
    if (cursor !== null && !/^\d{1,10}$/.test(cursor))
      throw new LmsPermanentError('lms_client_error', `${WHERE}: not a cursor of this adapter`, null);
    const { byId } = await channels();
    const domain: unknown[] = [
      ['channel_id', 'in', [...byId.keys()]],
      ['member_status', '!=', 'invited'],
      ...(cursor === null ? [] : [['id', '>', Number(cursor)]]),
    ];
    const answer = await call(MEMBERSHIP, 'search_read', [domain], {
      fields: ['channel_id', 'partner_id', 'partner_email', 'active'],
      order: 'id',
      limit,
      context: ALL,
    });
    const rows = parsedAnswer(listedRows, answer, `${MEMBERSHIP}.search_read`);
    const partnerIds = rows.flatMap((r) => (r.partner_id === false ? [] : [r.partner_id[0]]));
    const students = await learners.studentIds([...new Set(partnerIds)]);
    const items: LmsEnrollment[] = [];
    for (const row of rows) {
      const courseCode = row.channel_id === false ? undefined : byId.get(row.channel_id[0]);
      const studentId = row.partner_id === false ? undefined : students.get(row.partner_id[0]);
      if (courseCode === undefined || studentId === undefined) continue; // not one of ours
      items.push({
        enrollmentId: String(row.id),
        courseCode,
        studentId,
        email: row.partner_email || '',
        status: row.active ? 'active' : 'suspended',
        source: { orderId: null },
      });
    }
    const last = rows[rows.length - 1];
    return { items, nextCursor: rows.length === limit && last ? String(last.id) : null };
  }

  return {
    name: 'odoo-elearning',
    enroll,
    async suspend(req) {
      const channelId = await channelFor(req.courseCode);
      const partnerId = await learners.partnerFor({ studentId: req.studentId }, false);
      const existing = partnerId === null ? undefined : await membership(channelId, partnerId);
      if (!existing) {
        throw new LmsPermanentError('lms_not_enrolled', `${WHERE}: student not a member of the course`, null);
      }
      // archived: what Odoo's own _remove_membership does (progress kept; enrolling again unarchives it)
      if (existing.active) await call(MEMBERSHIP, 'write', [[existing.id], { active: false }]);
      return { status: 'suspended' };
    },
    listEnrollments,
    async listCourses() {
      // reading courses needs no eLearning rights, writing memberships does: a list from a user who could
      // enroll nobody would tell the doctor and the reconciler that all is well. check_access_rights sees
      // the ACL only: an Officer passes it, yet the record rules let it write only the memberships of the
      // courses it is the Responsible of, so a user who is not Manager is asked about those too.
      const [{ byCode }, , manager] = await Promise.all([
        channels(true),
        call(MEMBERSHIP, 'check_access_rights', ['create']),
        call('res.users', 'has_group', [MANAGER_GROUP]),
      ]);
      if (manager !== true) await ownsEveryCourse();
      return [...byCode].map(([courseCode, { title }]) => ({ courseCode, title }));
    },
    async ping() {
      // signs in, and proves the eLearning models and the course code field are there
      await call('slide.channel', 'search_count', [[[COURSE_CODE_FIELD, '!=', false]]], { limit: 1 });
    },
    close() {
      transport.close();
    },
  };
}
