import { PermanentError, TransientError } from '../../../src/lib/errors';
import { FLAVORS } from '../../../src/helpdesk/flavors';
import { createHelpdeskWriter } from '../../../src/helpdesk/writer';
import { OdooFault } from '../../../src/odoo/faults';
import { createXmlRpcTransport } from '../../../src/odoo/xmlrpc-transport';
import { CREDS, draft, failingFirstCallOn, freePort, log, withSim } from './writer-fixtures';

describe('helpdesk writer: flavor specifics and faults', () => {
  it('fills the required OCA description from the title when the draft has none', () =>
    withSim('oca', async (sim, transport) => {
      const writer = createHelpdeskWriter({ transport, flavor: 'oca', log });
      const d = draft({ title: 'Course <PY-K12> unmapped', descriptionHtml: ' ' });
      const { ticketId } = await writer.open(d);
      const [rec] = sim.store.read('helpdesk.ticket', [ticketId], ['description']);
      expect(rec?.description).toBe('<p>Course &lt;PY-K12&gt; unmapped</p>');
    }));

  it('detects no helpdesk when neither addon is installed', () =>
    withSim('none', async (_sim, transport) => {
      expect(await createHelpdeskWriter({ transport, flavor: 'oca', log }).detect()).toBe('none');
    }));

  it('lets an Odoo Fault through unchanged when the configured flavor is not installed', () =>
    withSim('oca', async (_sim, transport) => {
      const writer = createHelpdeskWriter({ transport, flavor: 'enterprise', log });
      const err = await writer.open(draft()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OdooFault);
      expect(err).toBeInstanceOf(PermanentError);
      // Enterprise's reference field is unknown on OCA's ticket: Odoo's ValueError, Fault 1
      expect((err as Error).message).toMatch(/ticket_ref/);
    }));

  it.each(['oca', 'enterprise'] as const)(
    'looks a team up again after a failed lookup instead of caching the failure (%s)',
    (flavor) =>
      withSim(flavor, async (sim, transport) => {
        const { teamModel } = FLAVORS[flavor];
        const writer = createHelpdeskWriter({
          transport: failingFirstCallOn(transport, teamModel),
          flavor,
          log,
        });
        await expect(writer.open(draft({ team: 'Night Shift' }))).rejects.toBeInstanceOf(TransientError);
        expect((await writer.open(draft({ team: 'Night Shift' }))).created).toBe(true);
        expect(sim.store.search(teamModel, [['name', '=', 'Night Shift']])).toHaveLength(1);
      }),
  );

  it.each(['oca', 'enterprise'] as const)(
    'closes a ticket with one note when the close is redone after its stage write lost its answer (%s)',
    (flavor) =>
      withSim(flavor, async (sim, transport) => {
        const writer = createHelpdeskWriter({ transport, flavor, log });
        const { ticketId } = await writer.open(draft());
        const note = {
          text: 'Healed: enrolled on retry. Closed by odoo-lms-sync.',
          key: 'writer-faults:close',
        };
        sim.resetAfterCommit('write'); // the stage is written, the answer lost: the worker runs it again
        await expect(writer.close(ticketId, note)).rejects.toBeInstanceOf(TransientError);
        await writer.close(ticketId, note, { retried: true });
        expect(sim.store.messagesFor(FLAVORS[flavor].ticketModel, ticketId)).toHaveLength(1);
        expect((await writer.state(ticketId)).closed).toBe(true);
      }),
  );

  it('surfaces an unreachable Odoo as TransientError', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const transport = createXmlRpcTransport({ url, ...CREDS, retryDelaysMs: [1] });
    try {
      const writer = createHelpdeskWriter({ transport, flavor: 'oca', log });
      await expect(writer.open(draft())).rejects.toBeInstanceOf(TransientError);
      await expect(writer.state(1)).rejects.toMatchObject({ code: 'odoo_unreachable' });
    } finally {
      transport.close();
    }
  });
});
