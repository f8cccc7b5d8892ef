// What other folders use of odoo/: imports from outside go through this face.
export { createChatter, type ChatterNote, type PostOptions } from './chatter';
export { ConnectionFailure } from './call-failure';
export { CONFIRMED_ORDER_STATES, odooDatetime } from './conventions';
export { readCourseProducts } from './course-categories';
export { OdooFault } from './faults';
export {
  type EnrollmentOrder,
  type LmsSyncState,
  type OdooGateway,
  type OrderCourseLine,
  type OrderPartner,
  type PaymentStatus,
} from './gateway';
export { odooId } from './ids';
export { odooRecordLink } from './links';
export { observeOdooCalls } from './observed-transport';
export { createOrderReader } from './order-reader';
export { orderPayment, paymentStatus, stillPaysFor, type InvoiceFacts } from './payment-status';
export { addonOrderFields, fieldNames, fieldsRead, orderRecord, parseRecords } from './records';
export { type OdooTransport } from './transport';
export { createOdooGateway } from './transport-gateway';
export { createXmlRpcTransport, OdooReplyTooLarge, xmlRpcTransportFromConfig } from './xmlrpc-transport';
