// The error handler maps typed errors to statuses: a busy reconcile is a 409, refused input its own 4xx.
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../../src/http/errors';
import { InvalidInput } from '../../../src/lib/errors';
import { silentLogger } from '../../../src/observability/logger';
import { ReconcileBusy } from '../../../src/reconcile/run';

function appThrowing(err: Error) {
  return express()
    .get('/x', (_req, _res, next) => next(err))
    .use(errorHandler(silentLogger()));
}

describe('errorHandler', () => {
  it('answers a busy reconcile with 409 and its code', async () => {
    const res = await request(appThrowing(new ReconcileBusy())).get('/x');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'reconcile_busy', message: 'a reconciliation is already running' });
  });

  it('answers refused input with its status, code and issues', async () => {
    const res = await request(
      appThrowing(new InvalidInput('invalid_query', 'bad', 400, [{ path: 'a' }])),
    ).get('/x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_query', message: 'bad', issues: [{ path: 'a' }] });
  });
});
