// What the consumers tell whoever follows enrollment problems (the helpdesk, wired by the root):
// a port the queue defines, so it calls nothing it does not own.
import type { ActionFailure } from '../enrollment';
import type { OrderSyncMessage } from '../enrollment';

export interface ConsumerHooks {
  deadLettered(msg: OrderSyncMessage, failures: ActionFailure[]): Promise<void>;
  synced(orderId: number, courseCodes: string[]): Promise<void>;
}
