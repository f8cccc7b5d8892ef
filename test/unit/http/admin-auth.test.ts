// The admin gate: the bearer as before, the token as a Basic password for reads (a browser's login
// box), and the challenge a browser needs to show that box.
import express from 'express';
import request from 'supertest';
import { requireAdmin } from '../../../src/http/admin-routes';

const TOKEN = 'admin-token-for-tests-only';
const app = express();
app.use('/admin', requireAdmin(TOKEN));
app.all('/admin/x', (_req, res) => res.json({ ok: true }));

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const PAGE = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('requireAdmin', () => {
  it.each([
    ['the bearer', `Bearer ${TOKEN}`],
    ['Basic with the token as password', basic('ops', TOKEN)],
    ['Basic with an empty user name', basic('', TOKEN)],
  ])('lets %s read', async (_label, authorization) => {
    const res = await request(app).get('/admin/x').set('Authorization', authorization);
    expect(res.status).toBe(200);
  });

  it.each([
    ['no header', undefined],
    ['a wrong bearer', 'Bearer nope-nope-nope-nope'],
    ['Basic with a wrong password', basic('ops', 'nope-nope-nope-nope')],
    ['Basic with the token as user name', basic(TOKEN, '')],
    ['Basic with the token plus a byte', basic('ops', `${TOKEN}x`)],
    ['Basic without a colon', `Basic ${Buffer.from(TOKEN).toString('base64')}`],
    ['the token bare', TOKEN],
  ])('refuses %s', async (_label, authorization) => {
    const req = request(app).get('/admin/x');
    const res = await (authorization ? req.set('Authorization', authorization) : req);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', message: 'admin bearer token required' });
  });

  it('accepts Basic for reads only: a browser replays it on its own, so writes need the bearer', async () => {
    expect((await request(app).post('/admin/x').set('Authorization', basic('ops', TOKEN))).status).toBe(401);
    expect((await request(app).head('/admin/x').set('Authorization', basic('ops', TOKEN))).status).toBe(200);
    expect((await request(app).post('/admin/x').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('challenges a browser with Basic and an API client with Bearer', async () => {
    const page = await request(app).get('/admin/x').set('Accept', PAGE);
    expect(page.status).toBe(401);
    expect(page.headers['www-authenticate']).toBe('Basic realm="lms-sync admin", charset="UTF-8"');
    for (const accept of [undefined, 'application/json', '*/*']) {
      const req = request(app).get('/admin/x');
      const res = await (accept ? req.set('Accept', accept) : req);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.error).toBe('unauthorized');
    }
  });
});
