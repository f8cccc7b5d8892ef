// The report's data-quality section: the checks the run made on Odoo's data, each with its count, what to
// fix in Odoo, and a few examples linked to their records (ids only in the links).
import { escapeHtml as h } from '../../lib';
import { odooRecordLink } from '../../odoo';
import type { DataQualityCheckName, DataQualityResult } from '../data-quality';
import { formatCount } from './format';
import type { ReportLinks } from './links';

export const CHECK_META: Record<DataQualityCheckName, { label: string; fix: string }> = {
  paid_order_without_email: {
    label: 'Paid course orders whose learner has no email',
    fix: 'add the email on the customer; the next run enrolls the learner',
  },
  duplicate_partner_email: {
    label: 'Emails two or more partners share',
    fix: 'merge the contacts (Contacts → select → Action → Merge), or correct the wrong email',
  },
  course_product_without_code: {
    label: 'Course products without an Internal Reference',
    fix: 'set the Internal Reference to the LMS course code',
  },
  course_product_bad_price: {
    label: 'Course products with a list price of 0 or below',
    fix: 'set the Sales Price',
  },
  paid_order_not_confirmed: {
    label: 'Orders paid but never confirmed',
    fix: 'confirm the quotation (its invoice is paid); only confirmed orders are enrolled',
  },
};

function example(e: DataQualityResult['examples'][number], links: ReportLinks | undefined): string {
  const href = links?.odooUrl ? odooRecordLink(links.odooUrl, e.model, e.id) : null;
  const name = href
    ? `<a href="${h(href)}" rel="noreferrer noopener" target="_blank">${h(e.label || `#${e.id}`)}</a>`
    : h(e.label || `#${e.id}`);
  return `<li>${name} <span class="muted">${h(e.detail)}</span></li>`;
}

export function dataQualitySection(
  results: DataQualityResult[] | null | undefined,
  links?: ReportLinks,
): string {
  if (!results) return '';
  const rows = results.map((r) => {
    const meta = CHECK_META[r.check] ?? { label: r.check, fix: '' };
    const more =
      r.count > r.examples.length
        ? `<li class="muted">and ${formatCount(r.count - r.examples.length)} more</li>`
        : '';
    const shown = r.error
      ? `<span class="muted">could not run: ${h(r.error)}</span>`
      : r.examples.length
        ? `<ul class="examples">${r.examples.map((e) => example(e, links)).join('')}${more}</ul>`
        : '<span class="muted">none</span>';
    return `<tr data-check="${h(r.check)}"><th scope="row">${h(meta.label)}</th><td class="num dq-count">${r.error ? 'n/a' : formatCount(r.count)}</td><td>${h(meta.fix)}</td><td>${shown}</td></tr>`;
  });
  const problems = results.reduce((sum, r) => sum + r.count, 0);
  return `<section aria-labelledby="data-quality-title" id="data-quality"><h2 id="data-quality-title">Data quality in Odoo</h2>
<p>${problems === 0 ? 'No check found anything.' : `${formatCount(problems)} rows in Odoo will cause tickets until fixed.`} The checks only read; fix the data in Odoo.</p>
<table class="compact" id="data-quality-table"><thead><tr><th scope="col">Check</th><th scope="col">Rows</th><th scope="col">What to do</th><th scope="col">Examples</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}
