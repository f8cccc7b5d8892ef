// The web service functions the simulator knows, each reading its parameters as Moodle validates them
// (a missing or malformed one is invalid_parameter_exception) and answering what Moodle answers.
import { listOf, type FormNode, type FormTree } from './form';
import {
  ENROL_USER_ACTIVE,
  ENROL_USER_SUSPENDED,
  invalidParameter,
  missingRecord,
  MoodleSimException,
  ROLES,
  type MoodleSimCourse,
  type MoodleSimState,
  type MoodleSimUser,
} from './state';

export interface SiteInfo {
  sitename: string;
  siteurl: string;
  /** the integration user the token belongs to */
  username: string;
  userid: number;
}

export type MoodleFunction = (state: MoodleSimState, params: FormTree, site: SiteInfo) => unknown;

function text(params: FormTree, name: string, fallback?: string): string {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (value === undefined && fallback !== undefined) return fallback;
  throw invalidParameter(`Missing required key in single structure: ${name}`);
}

function int(params: FormTree, name: string, fallback?: number): number {
  const raw = params[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const value = text(params, name);
  if (!/^-?\d{1,15}$/.test(value.trim()))
    throw invalidParameter(`${name} => Invalid parameter value detected`);
  return Number(value);
}

function structs(params: FormTree, name: string): FormTree[] {
  const list = listOf(params[name]);
  if (!list) throw invalidParameter(`Missing required key in single structure: ${name}`);
  return list.map((item: FormNode) => {
    if (typeof item === 'string') throw invalidParameter(`${name} => Only arrays accepted.`);
    return item;
  });
}

function values(params: FormTree, name: string): string[] {
  const list = listOf(params[name]);
  if (!list) throw invalidParameter(`Missing required key in single structure: ${name}`);
  return list.map((item) => {
    if (typeof item !== 'string') throw invalidParameter(`${name} => Invalid parameter value detected`);
    return item;
  });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USERNAME = /^[a-z0-9_.@-]+$/;

function userDetails(u: MoodleSimUser) {
  return {
    id: u.id,
    username: u.username,
    firstname: u.firstname,
    lastname: u.lastname,
    fullname: `${u.firstname} ${u.lastname}`,
    email: u.email,
    idnumber: u.idnumber,
    auth: u.auth,
    suspended: false,
    confirmed: true,
    phone1: u.phone1,
  };
}

function courseDetails(c: MoodleSimCourse) {
  return {
    id: c.id,
    fullname: c.fullname,
    displayname: c.fullname,
    shortname: c.shortname,
    categoryid: c.id === 1 ? 0 : 1,
    idnumber: c.idnumber,
    format: c.format,
    visible: 1,
  };
}

function courseById(state: MoodleSimState, id: number): MoodleSimCourse {
  const c = state.courses.get(id);
  if (!c) throw missingRecord('course');
  return c;
}

const getUsersByField: MoodleFunction = (state, params) => {
  const field = text(params, 'field');
  if (!['id', 'idnumber', 'username', 'email'].includes(field))
    throw invalidParameter(`field => Invalid parameter value detected (${field})`);
  const wanted = values(params, 'values');
  const matches = (u: MoodleSimUser, v: string) =>
    field === 'email'
      ? u.email.toLowerCase() === v.toLowerCase()
      : String(u[field as keyof MoodleSimUser]) === v;
  return [...state.users.values()]
    .filter((u) => wanted.some((v) => v !== '' && matches(u, v)))
    .map(userDetails);
};

const createUsers: MoodleFunction = (state, params) => {
  const made = structs(params, 'users').map((u) => {
    const username = text(u, 'username');
    const email = text(u, 'email');
    if (!USERNAME.test(username)) throw invalidParameter('The username must be in lower case');
    if (!EMAIL.test(email)) throw invalidParameter(`Email address is invalid: ${email}`);
    if (u.password === undefined && u.createpassword !== '1')
      throw invalidParameter('Invalid password: you must provide a password, or set createpassword.');
    return state.createUser({
      username,
      email,
      firstname: text(u, 'firstname'),
      lastname: text(u, 'lastname'),
      idnumber: text(u, 'idnumber', ''),
      auth: text(u, 'auth', 'manual'),
      phone1: text(u, 'phone1', ''),
    });
  });
  return made.map((u) => ({ id: u.id, username: u.username }));
};

const updateUsers: MoodleFunction = (state, params) => {
  for (const fields of structs(params, 'users')) {
    const u = state.users.get(int(fields, 'id'));
    if (!u) throw missingRecord('user');
    const idnumber = fields.idnumber;
    if (typeof idnumber === 'string') {
      const holder = state.userByIdnumber(idnumber);
      if (holder && holder.id !== u.id) throw invalidParameter(`ID number already exists: ${idnumber}`);
      u.idnumber = idnumber;
    }
  }
  return null;
};

const COURSE_FIELDS = ['', 'id', 'ids', 'shortname', 'idnumber', 'category'];

const getCoursesByField: MoodleFunction = (state, params) => {
  const field = text(params, 'field', '');
  const value = text(params, 'value', '');
  if (!COURSE_FIELDS.includes(field))
    throw invalidParameter(`field => Invalid parameter value detected (${field})`);
  const all = [...state.courses.values()];
  const pick = (c: MoodleSimCourse): boolean => {
    switch (field) {
      case '':
        return true;
      case 'id':
        return String(c.id) === value;
      case 'ids':
        return value.split(',').includes(String(c.id));
      case 'shortname':
        return c.shortname === value;
      case 'idnumber':
        return value !== '' && c.idnumber === value;
      default:
        return String(c.id === 1 ? 0 : 1) === value;
    }
  };
  return { courses: all.filter(pick).map(courseDetails), warnings: [] };
};

const getUsersCourses: MoodleFunction = (state, params) => {
  const userid = int(params, 'userid');
  if (!state.users.has(userid)) throw missingRecord('user');
  // only active enrolments, as Moodle's own function answers
  return [...state.enrolments.values()]
    .filter((e) => e.userid === userid && e.status === ENROL_USER_ACTIVE)
    .map((e) => courseDetails(courseById(state, e.courseid)));
};

const USER_FIELDS = [
  'id',
  'username',
  'firstname',
  'lastname',
  'fullname',
  'email',
  'idnumber',
  'roles',
  'phone1',
];

const getEnrolledUsers: MoodleFunction = (state, params) => {
  const c = courseById(state, int(params, 'courseid'));
  const options = new Map<string, string>();
  for (const o of params.options === undefined ? [] : structs(params, 'options'))
    options.set(text(o, 'name'), text(o, 'value'));
  const onlyactive = options.get('onlyactive') === '1';
  const onlysuspended = options.get('onlysuspended') === '1';
  if (onlyactive && onlysuspended)
    throw new MoodleSimException(
      'moodle_exception',
      'bothonlyactiveandonlysuspended',
      'Cannot use both onlyactive and onlysuspended at the same time.',
    );
  const from = Number(options.get('limitfrom') ?? 0);
  const number = Number(options.get('limitnumber') ?? 0);
  const fields = options.has('userfields')
    ? (options.get('userfields') ?? '').split(',').map((f) => f.trim())
    : USER_FIELDS;
  const sortdirection = (options.get('sortdirection') ?? 'ASC').toUpperCase();
  if (!['ASC', 'DESC'].includes(sortdirection)) throw invalidParameter('Invalid sort direction parameter');
  let enrolments = state
    .enrolmentsOf(c.id)
    .filter((e) =>
      onlyactive ? e.status === ENROL_USER_ACTIVE : onlysuspended ? e.status === ENROL_USER_SUSPENDED : true,
    );
  if (sortdirection === 'DESC') enrolments = enrolments.reverse();
  const window = enrolments.slice(from, number > 0 ? from + number : undefined);
  // Moodle's answer carries no enrolment status: onlyactive / onlysuspended are how a client learns it
  return window.map((e) => {
    const u = state.users.get(e.userid)!;
    const full: Record<string, unknown> = {
      ...userDetails(u),
      roles: [...e.roles].map((roleid) => ({
        roleid,
        ...(ROLES[roleid] ?? { shortname: 'custom', name: 'Custom', sortorder: roleid }),
      })),
      enrolledcourses: [{ id: c.id, fullname: c.fullname, shortname: c.shortname }],
    };
    return Object.fromEntries(Object.entries(full).filter(([k]) => k === 'id' || fields.includes(k)));
  });
};

const manualEnrolUsers: MoodleFunction = (state, params) => {
  const wanted = structs(params, 'enrolments').map((e) => ({
    roleid: int(e, 'roleid'),
    userid: int(e, 'userid'),
    courseid: int(e, 'courseid'),
    suspend: int(e, 'suspend', 0),
  }));
  // Moodle checks every enrolment before it writes any (one transaction)
  for (const e of wanted) {
    const c = courseById(state, e.courseid);
    if (!state.users.has(e.userid)) throw missingRecord('user');
    if (!c.manual || c.id === 1)
      throw new MoodleSimException(
        'moodle_exception',
        'wsnoinstance',
        `Manual enrolment plugin instance doesn't exist or is disabled for the course (id = ${c.id})`,
      );
    if (!ROLES[e.roleid])
      throw new MoodleSimException(
        'moodle_exception',
        'wsusercannotassign',
        `You don't have the permission to assign this role (${e.roleid}) to this user (${e.userid}) in this course(${c.id}).`,
      );
  }
  for (const e of wanted)
    state.enrol(e.courseid, e.userid, e.roleid, e.suspend ? ENROL_USER_SUSPENDED : ENROL_USER_ACTIVE);
  return null;
};

export const FUNCTIONS: Record<string, MoodleFunction> = {
  core_webservice_get_site_info: (_state, _params, site) => ({
    sitename: site.sitename,
    username: site.username,
    firstname: 'LMS',
    lastname: 'Sync',
    fullname: 'LMS Sync',
    lang: 'en',
    userid: site.userid,
    siteurl: site.siteurl,
    functions: Object.keys(FUNCTIONS).map((name) => ({ name, version: '2023100900' })),
    release: '4.3 (simulated)',
    version: '2023100900',
  }),
  core_user_get_users_by_field: getUsersByField,
  core_user_create_users: createUsers,
  core_user_update_users: updateUsers,
  core_course_get_courses_by_field: getCoursesByField,
  core_enrol_get_users_courses: getUsersCourses,
  core_enrol_get_enrolled_users: getEnrolledUsers,
  enrol_manual_enrol_users: manualEnrolUsers,
};
