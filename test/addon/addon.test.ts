// Checks of the Odoo addon that need no Odoo: Python compiles, XML parses and is consistent,
// the manifest is sound, and the addon's signing helper agrees byte for byte with
// src/webhooks/signature.ts on one shared vector (test/fixtures/webhook-signature-vector.json).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sign, verify } from '../../src/webhooks/signature';

const ROOT = join(__dirname, '..', '..');
const ADDONS = join(ROOT, 'odoo-addon');
const ADDON = join(ADDONS, 'lms_sync');
/** the optional eLearning part (course codes on slide.channel), apart so lms_sync never needs eLearning */
const SLIDES_ADDON = join(ADDONS, 'lms_sync_slides');
const SIGNING = join(ADDON, 'lib', 'webhook_signing.py');
const ACCESS_HEADER = 'id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink';

interface Vector {
  secret: string;
  id: string;
  timestamp: number;
  event: { type: string; data: Record<string, unknown> };
  body: string;
  signature: string;
}

interface XmlRecord {
  id: string;
  model: string;
  fields: Record<string, { ref: string | null; text: string; hasChildren: boolean }>;
}

interface XmlReport {
  file: string;
  error: string | null;
  records: XmlRecord[];
  refs: string[];
  legacyAttributes: string[];
  fieldNames: string[];
  objectButtons: string[];
  /** view record id -> {inherit, anchors: [xpath-like expression, position]} */
  anchors: { view: string; inherit: string | null; expr: string; position: string }[];
  /** tags that Odoo 17.0 does not know in view archs (17.2+/18.0 syntax) */
  newerTags: string[];
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (name === '__pycache__' || name.startsWith('.')) return [];
      return statSync(path).isDirectory() ? filesUnder(path, suffix) : [path];
    })
    .filter((path) => path.endsWith(suffix))
    .sort();
}

function python(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('python3', ['-c', script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const rel = (path: string): string => relative(ROOT, path);

// One python3 run parses every XML file (ElementTree) and reports what the checks need.
const XML_SCRIPT = String.raw`
import json, re, sys
import xml.etree.ElementTree as ET
out = []
for path in sys.argv[1:]:
    report = {"file": path, "error": None, "records": [], "refs": [], "legacyAttributes": [],
              "fieldNames": [], "objectButtons": [], "anchors": [], "newerTags": []}
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        report["error"] = str(err)
        out.append(report)
        continue
    for rec in root.iter("record"):
        fields = {}
        for f in rec.findall("field"):
            fields[f.get("name")] = {"ref": f.get("ref"), "text": "".join(f.itertext()).strip(),
                                     "hasChildren": len(list(f)) > 0}
        report["records"].append({"id": rec.get("id"), "model": rec.get("model"), "fields": fields})
    for el in root.iter():
        if el.get("ref"):
            report["refs"].append(el.get("ref"))
        for g in (el.get("groups") or "").split(","):
            if g.strip():
                report["refs"].append(g.strip().lstrip("!"))
        for attr in ("eval", "name"):
            report["refs"].extend(re.findall(r"ref\('([\w.]+)'\)", el.get(attr) or ""))
            report["refs"].extend(re.findall(r"%\(([\w.]+)\)d", el.get(attr) or ""))
        for legacy in ("attrs", "states"):
            if el.get(legacy) is not None:
                report["legacyAttributes"].append(el.tag + "@" + legacy)
        if el.tag == "field" and el.get("name", "").startswith("lms_"):
            report["fieldNames"].append(el.get("name"))
        if el.tag == "button" and el.get("type") == "object":
            report["objectButtons"].append(el.get("name"))
    for rec in root.iter("record"):
        if rec.get("model") != "ir.ui.view":
            continue
        inherit = next((f.get("ref") for f in rec.findall("field") if f.get("name") == "inherit_id"), None)
        arch = next((f for f in rec.findall("field") if f.get("name") == "arch"), None)
        if arch is None:
            continue
        for el in arch.iter():
            if el.tag in ("list", "chatter"):
                report["newerTags"].append(rec.get("id") + ": <" + el.tag + ">")
        # the direct children of an inheriting arch are its anchors: <xpath expr=...> or the
        # shorthand <field name="x" position="...">, <group name=...>, <page name=...>, ...
        for child in list(arch) if inherit else []:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "xpath":
                expr = child.get("expr") or ""
            elif child.get("name"):
                expr = "//%s[@name='%s']" % (child.tag, child.get("name"))
            else:
                expr = "//" + child.tag
            report["anchors"].append({"view": rec.get("id"), "inherit": inherit, "expr": expr,
                                      "position": child.get("position") or "inside"})
    out.append(report)
print(json.dumps(out))
`;

const MANIFEST_SCRIPT = String.raw`
import ast, json, sys
with open(sys.argv[1], encoding="utf-8") as handle:
    print(json.dumps(ast.literal_eval(handle.read())))
`;

// Loads ONLY the signing helper, by path: no package __init__ runs, and odoo must not appear.
const SIGNING_SCRIPT = String.raw`
import ast, importlib.util, json, sys, time
path, vector_path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as handle:
    tree = ast.parse(handle.read())
imported = sorted({alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
                  | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module})
spec = importlib.util.spec_from_file_location("lms_sync_webhook_signing", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(vector_path, encoding="utf-8") as handle:
    vector = json.load(handle)
body = module.encode_body(vector["event"]["type"], vector["event"]["data"], vector["timestamp"])
fresh_body = module.encode_body("order.paid", {"orderId": 1, "orderName": "S00001"}, time.time())
print(json.dumps({
    "imported": imported,
    "odooLoaded": any(name == "odoo" or name.startswith("odoo.") for name in sys.modules),
    "body": body.decode("utf-8"),
    "signature": module.sign(vector["secret"], vector["id"], vector["timestamp"], vector["body"].encode("utf-8")),
    "headers": module.build_headers(vector["secret"], body, msg_id=vector["id"], timestamp=vector["timestamp"]),
    "fresh": {"body": fresh_body.decode("utf-8"), "headers": module.build_headers(vector["secret"], fresh_body)},
}))
`;

// The parts of the Odoo 17.0 views that lms_sync inherits which its anchors rely on, copied
// (structure only) from the 17.0 sources. An inheriting view whose xpath matches nothing
// makes the module install fail ("Element ... cannot be located in parent view"), so every
// anchor must match one of these, and a new inherit target must be added here with its source.
// - sale.view_order_form, sale.view_order_tree (= sale.sale_order_tree + its primary child),
//   sale.view_sales_order_filter: addons/sale/views/sale_order_views.xml of 17.0 (stored copy
//   bol9967/odoo17 @ 8d3e536740564274c15e604eb6d590ef5811a543: <tree>, invisible="..."
//   expressions, `locked`, banner_route "/onboarding/sale_quotation" are all 17.0).
// - sale.res_config_settings_view_form: the 17.0 <app name="sale_management"> / <block> /
//   <setting> settings layout (odoo-facts.md 7.3; addons/sale/views/res_config_settings_views.xml).
// - website_slides.view_slide_channel_form, website_slides.slide_channel_view_tree (lms_sync_slides):
//   addons/website_slides/views/slide_channel_views.xml of 17.0 (stored copy of a renamed 17.0 fork,
//   Hamiltontech/emdad-apps @ 3d80050a3fe3ff04fd7d99026278e06c6f92602e: invisible="..." expressions,
//   <tree>, column_invisible, <div class="oe_chatter">; the Options page's group "course" is the same
//   in odoo/odoo's 13.0 and 16.0 copies).
const ODOO17_VIEWS: Record<string, string> = {
  'sale.view_order_form': `
    <form string="Sales Order" class="o_sale_order">
      <header>
        <field name="locked" invisible="1"/>
        <field name="authorized_transaction_ids" invisible="1"/>
        <button name="payment_action_capture" type="object"/>
        <button name="payment_action_void" type="object"/>
        <button id="create_invoice" name="%(sale.action_view_sale_advance_payment_inv)d" type="action"/>
        <button id="create_invoice_percentage" name="%(sale.action_view_sale_advance_payment_inv)d" type="action"/>
        <button name="action_quotation_send" id="send_by_email_primary" type="object"/>
        <button name="action_quotation_send" id="send_proforma_primary" type="object"/>
        <button name="action_confirm" id="action_confirm" type="object"/>
        <button name="action_confirm" type="object"/>
        <button name="action_quotation_send" id="send_proforma" type="object"/>
        <button name="action_quotation_send" id="send_by_email" type="object"/>
        <button name="action_unlock" type="object"/>
        <button name="action_preview_sale_order" type="object"/>
        <button name="action_cancel" type="object"/>
        <button name="action_draft" type="object"/>
        <t groups="sale.group_auto_done_setting"><button name="action_lock" type="object"/></t>
        <field name="state" widget="statusbar" statusbar_visible="draft,sent,sale"/>
      </header>
      <div class="alert alert-warning" role="alert"><field name="partner_credit_warning"/></div>
      <sheet>
        <div class="oe_button_box" name="button_box"><button name="action_view_invoice" type="object"/></div>
        <div class="oe_title"><h1><field name="name"/></h1></div>
        <group name="sale_header">
          <group name="partner_details">
            <field name="partner_id"/><field name="partner_invoice_id"/><field name="partner_shipping_id"/>
          </group>
          <group name="order_details">
            <field name="validity_date"/><field name="date_order"/><field name="pricelist_id"/>
            <field name="payment_term_id"/>
          </group>
        </group>
        <notebook>
          <page string="Order Lines" name="order_lines">
            <field name="order_line"><form/><tree/><kanban/></field>
            <group name="note_group"><group name="sale_total"><field name="tax_totals"/></group></group>
          </page>
          <page string="Other Info" name="other_information">
            <group><group name="sales_person"/><group name="sale_info"/><group name="sale_shipping"/><group name="sale_reporting"/></group>
          </page>
          <page string="Customer Signature" name="customer_signature"/>
        </notebook>
      </sheet>
      <div class="oe_chatter"/>
    </form>`,
  'sale.view_order_tree': `
    <tree string="Sales Orders" class="o_sale_order" sample="1">
      <header><button name="%(sale.action_view_sale_advance_payment_inv)d" type="action"/></header>
      <field name="message_needaction"/><field name="currency_id"/>
      <field name="name"/><field name="date_order"/><field name="commitment_date"/>
      <field name="expected_date"/><field name="partner_id"/><field name="user_id"/>
      <field name="activity_ids"/><field name="team_id"/><field name="company_id"/>
      <field name="company_id"/><field name="amount_untaxed"/><field name="amount_tax"/>
      <field name="amount_total"/><field name="tag_ids"/><field name="state"/>
      <field name="invoice_status"/><field name="amount_to_invoice"/>
      <field name="client_order_ref"/><field name="validity_date"/>
    </tree>`,
  'sale.view_sales_order_filter': `
    <search string="Search Sales Order">
      <field name="name"/><field name="partner_id"/><field name="user_id"/><field name="team_id"/>
      <field name="order_line"/><field name="analytic_account_id"/>
      <filter name="my_sale_orders_filter"/>
      <filter name="activities_overdue"/><filter name="activities_today"/><filter name="activities_upcoming_all"/>
      <group expand="0" string="Group By">
        <filter name="salesperson"/><filter name="customer"/><filter name="order_month"/>
      </group>
    </search>`,
  'sale.res_config_settings_view_form': `
    <form string="Settings" class="oe_form_configuration o_base_settings">
      <app data-string="Sales" string="Sales" name="sale_management" groups="sales_team.group_sale_manager">
        <block title="Product Catalog" name="catalog_setting_container"/>
        <block title="Pricing" name="pricing_setting_container"/>
        <block title="Quotations &amp; Orders" name="quotation_order_setting_container"/>
        <block title="Invoicing" name="invoicing_setting_container"/>
      </app>
    </form>`,
  'website_slides.view_slide_channel_form': `
    <form string="Channels">
      <header><button name="action_channel_enroll" type="object"/><button name="action_channel_invite" type="object"/></header>
      <sheet>
        <div class="oe_button_box" name="button_box"/>
        <div class="oe_title"><h1><field name="name"/></h1></div>
        <div><field name="active"/><field name="tag_ids"/></div>
        <notebook colspan="4">
          <page name="content" string="Content"><field name="slide_ids"/></page>
          <page name="description" string="Description"><field name="description"/></page>
          <page name="options" string="Options">
            <group>
              <group name="course" string="Course"><field name="user_id"/><field name="website_id"/></group>
              <group name="access_rights" string="Access Rights"><field name="visibility"/><field name="enroll"/></group>
            </group>
            <group><group name="communication" string="Communication"/><group name="display" string="Display"/></group>
          </page>
          <page string="Karma" name="karma_rules"/>
        </notebook>
      </sheet>
      <div class="oe_chatter"/>
    </form>`,
  'website_slides.slide_channel_view_tree': `
    <tree string="Courses" sample="1" multi_edit="1">
      <field name="sequence"/><field name="name"/><field name="user_id"/><field name="website_id"/>
      <field name="channel_type"/><field name="visibility"/><field name="enroll"/><field name="is_published"/>
      <field name="active"/>
    </tree>`,
};

// Evaluates Odoo-style xpath anchors against the skeletons with ElementTree (stdlib): "//x"
// anywhere, "/x" from the top; prints the number of matches of each [view, expr] pair.
const ANCHOR_SCRIPT = String.raw`
import json, sys
import xml.etree.ElementTree as ET
views, pairs = json.loads(sys.stdin.read())
out = []
for key, expr in pairs:
    if key not in views:
        out.append(-1)
        continue
    wrapper = ET.fromstring("<lms_sync_wrapper>" + views[key] + "</lms_sync_wrapper>")
    path = "." + expr if expr.startswith("/") else "./" + expr
    try:
        out.append(len(wrapper.findall(path)))
    except SyntaxError:
        out.append(-2)
print(json.dumps(out))
`;

function anchorMatches(pairs: [string, string][]): number[] {
  const out = execFileSync('python3', ['-c', ANCHOR_SCRIPT], {
    encoding: 'utf8',
    input: JSON.stringify([ODOO17_VIEWS, pairs]),
  });
  return JSON.parse(out) as number[];
}

/** Problems of an ir.model.access.csv text (empty when well formed). */
function accessCsvProblems(text: string): string[] {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const problems: string[] = [];
  if (header !== ACCESS_HEADER) problems.push(`header is "${header}", expected "${ACCESS_HEADER}"`);
  rows.forEach((row, index) => {
    const cells = row.split(',');
    const line = index + 2;
    if (cells.length !== 8) return problems.push(`line ${line}: ${cells.length} columns, expected 8`);
    const [id, name, model, , ...perms] = cells;
    if (!id || !name) problems.push(`line ${line}: empty id or name`);
    if (!/^(\w+\.)?model_[a-z0-9]+(_[a-z0-9]+)*$/.test(model ?? '')) {
      problems.push(`line ${line}: model_id "${model}" is not model_<name_with_underscores>`);
    }
    if (!perms.every((p) => p === '0' || p === '1'))
      problems.push(`line ${line}: permissions must be 0 or 1`);
    return undefined;
  });
  return problems;
}

const pyFiles = filesUnder(ADDONS, '.py');
const xmlFiles = filesUnder(ADDONS, '.xml');
const csvFiles = filesUnder(ADDONS, '.csv');

describe('odoo addon lms_sync', () => {
  describe('python', () => {
    let cacheDir: string;
    beforeAll(() => {
      // keeps __pycache__ out of the working tree
      cacheDir = mkdtempSync(join(tmpdir(), 'lms-sync-pycache-'));
    });
    afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

    it('has the addon python files', () => {
      expect(pyFiles.map(rel)).toEqual(
        expect.arrayContaining([
          'odoo-addon/lms_sync/__init__.py',
          'odoo-addon/lms_sync/__manifest__.py',
          'odoo-addon/lms_sync/lib/webhook_signing.py',
          'odoo-addon/lms_sync/lib/payload_text.py',
          'odoo-addon/lms_sync/models/sale_order.py',
          'odoo-addon/lms_sync/models/sale_order_line.py',
          'odoo-addon/lms_sync/models/account_move.py',
          'odoo-addon/lms_sync/models/res_config_settings.py',
          'odoo-addon/lms_sync/wizards/assign_learners.py',
          'odoo-addon/lms_sync/tests/test_learners.py',
          'odoo-addon/lms_sync/tests/test_signing.py',
        ]),
      );
    });

    it('every .py compiles with python3 -m py_compile', () => {
      // one interpreter for all files (python3 start-up dominates); stderr names the culprit
      let stderr = '';
      try {
        execFileSync('python3', ['-m', 'py_compile', ...pyFiles], {
          env: { ...process.env, PYTHONPYCACHEPREFIX: cacheDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (err) {
        stderr = String((err as { stderr?: Buffer }).stderr ?? err);
      }
      expect(stderr).toBe('');
    });

    it('uses no syntax newer than Python 3.10', () => {
      const script = String.raw`
import ast, sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        ast.parse(handle.read(), path, feature_version=(3, 10))
`;
      expect(() => python(script, pyFiles)).not.toThrow();
    });
  });

  describe('xml', () => {
    const reports: XmlReport[] = JSON.parse(python(XML_SCRIPT, xmlFiles));
    const records = reports.flatMap((r) => r.records);
    const views = records.filter((r) => r.model === 'ir.ui.view');

    it.each(reports.map((r) => [rel(r.file), r] as const))('%s parses', (_file, report) => {
      expect(report.error).toBeNull();
    });

    it('declares views, each with an arch and a module-qualified inherit_id', () => {
      expect(views.length).toBeGreaterThanOrEqual(4);
      for (const view of views) {
        expect({ view: view.id, hasArch: view.fields.arch?.hasChildren ?? false }).toEqual({
          view: view.id,
          hasArch: true,
        });
        const inherit = view.fields.inherit_id;
        if (inherit) expect(inherit.ref ?? '').toMatch(/^[a-z][a-z0-9_]*\.[A-Za-z0-9_.]+$/);
      }
    });

    it('uses Odoo 17 expressions, never attrs= or states=', () => {
      expect(reports.flatMap((r) => r.legacyAttributes.map((a) => `${rel(r.file)}: ${a}`))).toEqual([]);
    });

    it('uses only Odoo 17.0 view tags (no <list> or <chatter/>, which came with 17.2+/18.0)', () => {
      expect(reports.flatMap((r) => r.newerTags.map((t) => `${rel(r.file)}: ${t}`))).toEqual([]);
    });

    it('anchors every inheritance on an element that exists in the 17.0 parent view', () => {
      const anchors = reports.flatMap((r) => r.anchors);
      expect(anchors.length).toBeGreaterThanOrEqual(6);
      const counts = anchorMatches(anchors.map((a) => [a.inherit ?? '', a.expr]));
      const problems = anchors
        .map((a, i) => ({ ...a, matches: counts[i] }))
        .filter((a) => (a.matches ?? 0) < 1)
        .map((a) =>
          a.matches === -1
            ? `${a.view}: inherits ${a.inherit}, whose 17.0 structure is not recorded in ODOO17_VIEWS`
            : `${a.view}: "${a.expr}" matches nothing in 17.0 ${a.inherit}`,
        );
      expect(problems).toEqual([]);
    });

    it('the anchor check refuses anchors that are not in the 17.0 views', () => {
      expect(
        anchorMatches([
          ['sale.view_order_form', "//group[@name='order_details']"],
          ['sale.view_order_form', "//header/field[@name='state']"],
          ['sale.view_order_form', "//group[@name='sale_order_details']"],
          ['sale.view_order_form', "//div[@name='chatter']"],
          ['sale.view_order_tree', "//field[@name='amount_total']"],
          ['sale.view_order_tree', '//list'],
          ['sale.res_config_settings_view_form', "//app[@name='sale_management']"],
          ['sale.res_config_settings_view_form', "//div[@data-key='sale_management']"],
          ['sale.view_quotation_tree', "//field[@name='amount_total']"],
        ]).map((n) => n > 0 || n),
      ).toEqual([true, true, 0, 0, true, 0, true, 0, -1]);
    });

    it('refers only to its own xml ids that are loaded before the reference', () => {
      const manifest = loadManifest();
      const defined = new Set<string>();
      const missing: string[] = [];
      for (const dataFile of manifest.data) {
        const report = reports.find((r) => rel(r.file) === `odoo-addon/lms_sync/${dataFile}`);
        if (!report) continue;
        report.records.forEach((r) => defined.add(r.id));
        for (const ref of report.refs) {
          const local = ref.startsWith('lms_sync.') ? ref.slice('lms_sync.'.length) : ref;
          if (!local.includes('.') && !defined.has(local)) missing.push(`${dataFile}: ${ref}`);
        }
      }
      const sources = pyFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const [, ref] of sources.matchAll(/["']lms_sync\.((?:group|action|view|module)_\w+)["']/g)) {
        if (ref && !defined.has(ref)) missing.push(`python: lms_sync.${ref}`);
      }
      expect(missing).toEqual([]);
    });

    it('shows only fields and calls only methods that the models define', () => {
      // the models and the wizards (transient models) the views show
      const models = [
        ...filesUnder(join(ADDON, 'models'), '.py'),
        ...filesUnder(join(ADDON, 'wizards'), '.py'),
        ...filesUnder(join(SLIDES_ADDON, 'models'), '.py'),
      ]
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      const fieldNames = new Set(reports.flatMap((r) => r.fieldNames));
      for (const name of fieldNames)
        expect({ name, defined: models.includes(`${name} = fields.`) }).toEqual({ name, defined: true });
      const methods = new Set(reports.flatMap((r) => r.objectButtons));
      const serverCode = records
        .filter((r) => r.model === 'ir.actions.server')
        .map((r) => r.fields.code?.text ?? '');
      expect(serverCode).toEqual(['action = records.action_lms_retry_enrollment()']);
      methods.add('action_lms_retry_enrollment');
      for (const method of methods) expect(models).toContain(`def ${method}(self`);
    });

    it('binds the Retry Enrollment server action to sale.order lists', () => {
      const action = records.find((r) => r.model === 'ir.actions.server');
      expect(action?.fields.binding_model_id?.ref).toBe('sale.model_sale_order');
      expect(action?.fields.binding_view_types?.text).toContain('list');
      expect(action?.fields.state?.text).toBe('code');
    });
  });

  describe('manifest', () => {
    const manifest = loadManifest();

    it('is a literal dict with the required keys', () => {
      expect(manifest).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          summary: expect.any(String),
          author: expect.any(String),
          website: expect.any(String),
          category: expect.any(String),
          installable: true,
        }),
      );
      expect(manifest.version).toMatch(/^17\.0\.\d+\.\d+\.\d+$/);
      expect(['AGPL-3', 'LGPL-3']).toContain(manifest.license);
    });

    it('depends on sale_management and account, never on a helpdesk module', () => {
      expect(manifest.depends).toEqual(expect.arrayContaining(['sale_management', 'account']));
      expect(manifest.depends.filter((d) => /helpdesk/.test(d))).toEqual([]);
    });

    it('lists data files that exist, security first, views last, and forgets none', () => {
      for (const file of manifest.data)
        expect({ file, exists: existsSync(join(ADDON, file)) }).toEqual({ file, exists: true });
      const rank = (file: string): number =>
        file.startsWith('security/') && file.endsWith('.xml')
          ? 0
          : file.endsWith('.csv')
            ? 1
            : file.startsWith('data/')
              ? 2
              : 3;
      const ranks = manifest.data.map(rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      const dataFiles = [...filesUnder(ADDON, '.xml'), ...csvFiles]
        .map((f) => relative(ADDON, f))
        .filter((f) => /^(security|data|views)\//.test(f));
      expect([...dataFiles].sort()).toEqual([...manifest.data].sort());
    });
  });

  describe('lms_sync_slides (the optional eLearning part)', () => {
    const slides = loadManifest(SLIDES_ADDON);

    it('is a literal dict with the required keys, an Odoo 17 version and a license', () => {
      expect(slides).toEqual(
        expect.objectContaining({ name: expect.any(String), summary: expect.any(String), installable: true }),
      );
      expect(slides.version).toMatch(/^17\.0\.\d+\.\d+\.\d+$/);
      expect(['AGPL-3', 'LGPL-3']).toContain(slides.license);
    });

    it('depends on website_slides alone, and lms_sync never on eLearning', () => {
      expect(slides.depends).toEqual(['website_slides']);
      expect(loadManifest().depends.filter((d) => /slides/.test(d))).toEqual([]);
    });

    it('lists every view file it has, and each exists', () => {
      const files = filesUnder(SLIDES_ADDON, '.xml').map((f) => relative(SLIDES_ADDON, f));
      expect([...slides.data].sort()).toEqual(files.filter((f) => f.startsWith('views/')).sort());
    });

    it('has its model and its Odoo test', () => {
      expect(pyFiles.map(rel)).toEqual(
        expect.arrayContaining([
          'odoo-addon/lms_sync_slides/models/slide_channel.py',
          'odoo-addon/lms_sync_slides/tests/test_slide_channel.py',
        ]),
      );
      expect(readFileSync(join(SLIDES_ADDON, 'models', 'slide_channel.py'), 'utf8')).toContain(
        'lms_course_code = fields.Char(',
      );
    });
  });

  describe('access rights csv', () => {
    it('every access csv (one row per wizard model) is well formed', () => {
      const problems = csvFiles.flatMap((f) =>
        accessCsvProblems(readFileSync(f, 'utf8')).map((p) => `${rel(f)}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    it('the csv check rejects a wrong header and malformed model references', () => {
      expect(accessCsvProblems(`${ACCESS_HEADER}\naccess_x,x,model_lms_sync_event,,1,1,1,0`)).toEqual([]);
      expect(accessCsvProblems('id,name\n')).toHaveLength(1);
      expect(accessCsvProblems(`${ACCESS_HEADER}\naccess_x,x,lms.sync.event,,1,1,1,0`)).toHaveLength(1);
      expect(accessCsvProblems(`${ACCESS_HEADER}\naccess_x,x,model_lms_sync_event,,1,yes,1,0`)).toHaveLength(
        1,
      );
    });
  });

  describe('shared webhook signature vector', () => {
    const vector: Vector = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'webhook-signature-vector.json'), 'utf8'),
    );
    const body = Buffer.from(vector.body, 'utf8');
    const headers = { id: vector.id, timestamp: String(vector.timestamp), signature: vector.signature };
    const fromPython = JSON.parse(
      python(SIGNING_SCRIPT, [SIGNING, join(ROOT, 'test', 'fixtures', 'webhook-signature-vector.json')]),
    );

    it('loads the python helper alone, with the standard library only', () => {
      expect(fromPython.odooLoaded).toBe(false);
      const stdlib = ['base64', 'datetime', 'hashlib', 'hmac', 'json', 'time', 'uuid'];
      expect(fromPython.imported.filter((m: string) => !stdlib.includes(m))).toEqual([]);
    });

    it('python encodes the vector event into exactly the vector body', () => {
      expect(fromPython.body).toBe(vector.body);
    });

    it('python signs the vector exactly as recorded, headers included', () => {
      expect(fromPython.signature).toBe(vector.signature);
      expect(fromPython.headers).toEqual({
        'webhook-id': vector.id,
        'webhook-timestamp': String(vector.timestamp),
        'webhook-signature': vector.signature,
        'content-type': 'application/json',
      });
    });

    it('typescript signs the vector exactly as recorded', () => {
      expect(sign(vector.secret, vector.id, vector.timestamp, body)).toBe(vector.signature);
    });

    it('typescript verifies the vector, and refuses it after a one-byte change of the body', () => {
      expect(verify([vector.secret], headers, body, vector.timestamp)).toEqual({ ok: true });
      const tampered = Buffer.from(body);
      tampered[tampered.length - 2] = (tampered[tampered.length - 2] ?? 0) ^ 0x01;
      expect(verify([vector.secret], headers, tampered, vector.timestamp)).toEqual({
        ok: false,
        reason: 'no_matching_signature',
      });
    });

    it('typescript verifies fresh python headers at the current time', () => {
      const fresh = fromPython.fresh as { body: string; headers: Record<string, string> };
      const check = verify(
        [vector.secret],
        {
          id: fresh.headers['webhook-id'],
          timestamp: fresh.headers['webhook-timestamp'],
          signature: fresh.headers['webhook-signature'],
        },
        Buffer.from(fresh.body, 'utf8'),
        Math.floor(Date.now() / 1000),
      );
      expect(check).toEqual({ ok: true });
    });

    it("the addon's own Odoo test uses the same vector", () => {
      const odooTest = readFileSync(join(ADDON, 'tests', 'test_signing.py'), 'utf8');
      for (const value of [vector.secret, vector.id, String(vector.timestamp), vector.signature]) {
        expect(odooTest).toContain(value);
      }
    });
  });
});

interface Manifest {
  name: string;
  version: string;
  license: string;
  depends: string[];
  data: string[];
  installable: boolean;
  [key: string]: unknown;
}

function loadManifest(addon = ADDON): Manifest {
  return JSON.parse(python(MANIFEST_SCRIPT, [join(addon, '__manifest__.py')])) as Manifest;
}
