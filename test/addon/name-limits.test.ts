// The name limits are one contract with two sides: the service's schema refuses a longer
// (or empty) orderName / requestedBy.name with 400, and the addon cleans and cuts what it
// sends to the same limits. Odoo does not run here: the addon's pure helpers are loaded by
// path in python3 and their output is posted, signed, to the real route (real PostgreSQL).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { getApp } from '../../src/http/app';
import { silentLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createDeadLetters } from '../../src/queue/dead-letters';
import { createIntake } from '../../src/webhooks/intake';
import { ORDER_NAME_MAX_LENGTH, USER_NAME_MAX_LENGTH, webhookEvent } from '../../src/webhooks/schemas';
import { createTestDb, type TestDb } from '../support/db';
import { TEST_SECRET, events, signedDelivery } from '../support/webhooks';

const LIB = join(__dirname, '..', '..', 'odoo-addon', 'lms_sync', 'lib');

// Awkward names through the addon's helper, each encoded and signed as the addon sends a
// Retry Enrollment (the one event that carries both names).
const ADDON_SCRIPT = String.raw`
import ast, importlib.util, json, sys
lib, secret = sys.argv[1], sys.argv[2]
def load(name):
    spec = importlib.util.spec_from_file_location("lms_sync_" + name, f"{lib}/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
text, signing = load("payload_text"), load("webhook_signing")
with open(f"{lib}/payload_text.py", encoding="utf-8") as handle:
    tree = ast.parse(handle.read())
imported = sorted({a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
                  | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)})
cases = {
    "300 characters of letters, emoji and control characters": ("Nguyễn\x00 Văn\x1b An\n🎓 " * 20)[:300],
    "ASCII at exactly the limit": "S" * 256,
    "one unit over the order limit": "S" * 65,
    "an emoji across the order limit": "a" * 63 + "🎓",
    "emoji only": "🎓" * 200,
    "nothing printable": "\x00\x1b\t\n",
    "a lone surrogate": "S\ud80000042",
}
out = []
for label, name in cases.items():
    data = {"orderId": 42, "orderName": text.bounded_name(name, text.ORDER_NAME_MAX_LENGTH, "#42"),
            "requestedBy": {"userId": 7, "name": text.bounded_name(name, text.USER_NAME_MAX_LENGTH, "ops")}}
    body = signing.encode_body("enrollment.retry_requested", data, 1764000000 + len(out))
    out.append({"label": label, "data": data, "body": body.decode("utf-8"),
                "headers": signing.build_headers(secret, body)})
print(json.dumps({"imported": imported, "limits": [text.ORDER_NAME_MAX_LENGTH, text.USER_NAME_MAX_LENGTH],
                  "cases": out}))
`;

interface AddonCase {
  label: string;
  data: { orderName: string; requestedBy: { name: string } };
  body: string;
  headers: Record<string, string>;
}

const fromAddon = JSON.parse(
  execFileSync('python3', ['-c', ADDON_SCRIPT, LIB, TEST_SECRET], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  }),
) as { imported: string[]; limits: number[]; cases: AddonCase[] };
const byLabel = (label: string): AddonCase => {
  const found = fromAddon.cases.find((c) => c.label === label);
  if (!found) throw new Error(`no case ${label}`);
  return found;
};
// a control character (C0, DEL, C1) or a UTF-16 surrogate that is not in a pair
const unsafe = (text: string): boolean =>
  [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff);
  });

let db: TestDb;
let app: ReturnType<typeof getApp>;

beforeAll(async () => {
  db = await createTestDb();
  app = getApp({
    pool: db.pool,
    log: silentLogger(),
    metrics: createMetrics(),
    secrets: [TEST_SECRET],
    adminToken: 'admin-token-for-tests-only',
    maxBodyBytes: 65536,
    storeDelivery: createIntake({ pool: db.pool }),
    deadLetters: createDeadLetters(db.pool),
    readiness: async () => ({ ready: true, checks: {} }),
  });
});
afterAll(() => db?.drop());

const post = (d: { headers: Record<string, string>; body: string }) =>
  request(app).post('/webhooks/odoo').set(d.headers).send(d.body);

describe('name limits: the addon and the service agree', () => {
  it('the addon and the service hold the same limits', () => {
    expect(fromAddon.limits).toEqual([ORDER_NAME_MAX_LENGTH, USER_NAME_MAX_LENGTH]);
    expect([ORDER_NAME_MAX_LENGTH, USER_NAME_MAX_LENGTH]).toEqual([64, 256]);
    expect(fromAddon.imported).toEqual(['unicodedata']);
  });

  it.each(fromAddon.cases.map((c) => [c.label, c] as const))(
    'the addon sends %s within the limits, and the service accepts it',
    async (_label, sent) => {
      const { orderName, requestedBy } = sent.data;
      expect(orderName.length).toBeGreaterThan(0);
      expect(orderName.length).toBeLessThanOrEqual(ORDER_NAME_MAX_LENGTH);
      expect(requestedBy.name.length).toBeGreaterThan(0);
      expect(requestedBy.name.length).toBeLessThanOrEqual(USER_NAME_MAX_LENGTH);
      expect(unsafe(orderName) || unsafe(requestedBy.name)).toBe(false);
      expect(webhookEvent.safeParse(JSON.parse(sent.body)).success).toBe(true);
      const res = await post(sent);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 202,
        body: expect.objectContaining({ status: 'accepted' }),
      });
    },
  );

  it('the addon keeps a name that fits and cuts one that does not, ending it with an ellipsis', () => {
    expect(byLabel('ASCII at exactly the limit').data.requestedBy.name).toBe('S'.repeat(256));
    expect(byLabel('one unit over the order limit').data.orderName).toBe(`${'S'.repeat(63)}…`);
    expect(byLabel('an emoji across the order limit').data.orderName).toBe(`${'a'.repeat(63)}…`);
    const long = byLabel('300 characters of letters, emoji and control characters').data;
    expect(long.orderName).toMatch(/^Nguyễn Văn An 🎓 Nguyễn Văn An 🎓 .*…$/u);
    expect(long.orderName).toHaveLength(ORDER_NAME_MAX_LENGTH);
    expect(byLabel('nothing printable').data).toMatchObject({
      orderName: '#42',
      requestedBy: { name: 'ops' },
    });
    expect(byLabel('a lone surrogate').data.orderName).toBe('S00042');
  });
});

describe('name limits: the service', () => {
  const retry = (orderName: string, userName: string) => {
    const event = events.retry(77, orderName);
    return { ...event, data: { ...event.data, requestedBy: { userId: 7, name: userName } } };
  };

  it.each([
    ['ASCII names at exactly the limits', 'S'.repeat(64), 'u'.repeat(256)],
    ['emoji names at exactly the limits (2 units each)', '🎓'.repeat(32), '🎓'.repeat(128)],
  ])('accepts %s', async (_label, orderName, userName) => {
    expect((await post(signedDelivery(retry(orderName, userName)))).status).toBe(202);
    expect((await post(signedDelivery(events.paid(78, orderName)))).status).toBe(202);
  });

  it.each([
    ['an order name one unit over', 'S'.repeat(65), 'u', 'data.orderName'],
    ['an order name one emoji over', `${'🎓'.repeat(32)}a`, 'u', 'data.orderName'],
    ['a user name one unit over', 'S1', 'u'.repeat(257), 'data.requestedBy.name'],
    ['an empty order name', '', 'u', 'data.orderName'],
  ])('refuses %s with 400 naming the field', async (_label, orderName, userName, path) => {
    const res = await post(signedDelivery(retry(orderName, userName)));
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
  });
});
