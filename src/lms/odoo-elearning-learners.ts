// Who a student is in the eLearning database. In the database the service sells from, the student
// `odoo-partner-<id>` is that res.partner itself: nothing to look up or create. In another database the
// ids mean other people, so the learner is the partner there whose Reference (`ref`) is the student id:
// found by it, or created with it (name, email, phone) on the first enrollment.
import { z } from 'zod';
import type { LmsStudent } from './adapter';
import { LmsPermanentError } from './rest-errors';
import { parsedAnswer, WHERE } from './odoo-elearning-errors';

/** One eLearning call, its failure already the contract's error. */
export type ElearningCall = <T>(
  model: string,
  method: string,
  args: unknown[],
  kwargs?: Record<string, unknown>,
  secrets?: string[],
) => Promise<T>;

export interface LearnerDirectory {
  /** the partner id of the student; null when `create` is false and there is none */
  partnerFor(
    student: Pick<LmsStudent, 'studentId'> & Partial<LmsStudent>,
    create: boolean,
  ): Promise<number | null>;
  /** the student ids of these partners; a partner that is not one of ours is left out */
  studentIds(partnerIds: number[]): Promise<Map<number, string>>;
}

const STUDENT_ID = /^odoo-partner-([1-9]\d{0,9})$/;
const refRows = z.array(z.object({ id: z.number().int(), ref: z.union([z.string(), z.literal(false)]) }));

function partnerIdOf(studentId: string): number {
  const match = STUDENT_ID.exec(studentId);
  if (!match) {
    throw new LmsPermanentError(
      'lms_rejected',
      `${WHERE}: "${studentId.slice(0, 40)}" is not an odoo-partner-<id> student id`,
      null,
    );
  }
  return Number(match[1]);
}

/** The sales database itself: the student id names the partner. */
export function samePartners(): LearnerDirectory {
  return {
    async partnerFor(student) {
      return partnerIdOf(student.studentId);
    },
    async studentIds(partnerIds) {
      return new Map(partnerIds.map((id) => [id, `odoo-partner-${id}`]));
    },
  };
}

/**
 * Another database: partners found by `ref` = student id (archived ones too, so none is made twice). Two
 * first enrollments of one student racing may each create one; both then take the lowest id, so the
 * memberships agree and the spare partner stays unused.
 */
export function partnersByReference(call: ElearningCall): LearnerDirectory {
  const find = async (studentId: string): Promise<number | null> => {
    const ids = await call<number[]>('res.partner', 'search', [[['ref', '=', studentId]]], {
      order: 'id',
      limit: 1,
      context: { active_test: false },
    });
    return ids[0] ?? null;
  };
  return {
    async partnerFor(student, create) {
      partnerIdOf(student.studentId);
      const found = await find(student.studentId);
      if (found !== null || !create) return found;
      const vals = {
        name: student.fullName ?? student.studentId,
        ref: student.studentId,
        ...(student.email ? { email: student.email } : {}),
        ...(student.phone ? { phone: student.phone } : {}),
      };
      const secrets = [student.email ?? ''].filter(Boolean);
      await call<number>('res.partner', 'create', [vals], {}, secrets);
      return (await find(student.studentId)) as number;
    },
    async studentIds(partnerIds) {
      if (partnerIds.length === 0) return new Map();
      const answer = await call('res.partner', 'read', [partnerIds], {
        fields: ['ref'],
        context: { active_test: false },
      });
      const rows = parsedAnswer(refRows, answer, 'res.partner.read');
      const out = new Map<number, string>();
      for (const row of rows)
        if (typeof row.ref === 'string' && STUDENT_ID.test(row.ref)) out.set(row.id, row.ref);
      return out;
    },
  };
}
