// What other folders use of webhooks/: imports from outside go through this face.
export { createIntake, type StoreDelivery } from './intake';
export { WEBHOOK_PATH, webhookHandler } from './routes';
export { sign } from './signature';
