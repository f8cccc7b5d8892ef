// What other folders use of lms/: imports from outside go through this face.
export {
  loginForPartner,
  studentIdForPartner,
  type LmsAdapter,
  type LmsEnrollment,
  type LmsPage,
  type LmsStudent,
} from './adapter';
export { createRestLmsAdapter } from './rest-adapter';
export { createMoodleLmsAdapter } from './moodle-adapter';
export { createOdooElearningAdapter } from './odoo-elearning-adapter';
export { createLmsAdapter, type ClosableLmsAdapter } from './create-adapter';
export { lmsConnection, type LmsConnection } from './connection';
