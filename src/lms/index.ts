// What other folders use of lms/: imports from outside go through this face.
export { studentIdForPartner, type LmsAdapter, type LmsEnrollment, type LmsPage } from './adapter';
export { createRestLmsAdapter } from './rest-adapter';
