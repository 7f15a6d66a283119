// reports/index.html: the page the person on call opens first. The account(s) and time, counts by
// severity and kind, then the findings grouped by workload, the most severe first, each with its
// one-line fix and links to its full evidence in cucumber.html and to its network picture. One file
// with its pictures beside it: no script, no external fetch; readable on a phone, prints well.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Attachment } from '@cucumber/messages';
import { ReportFile } from './report-file';
import { collectResults } from './results-report';
import { SEVERITIES, type Severity } from './checks/finding';
import { KINDS } from './checks/ids';
import type { ResultFinding, Results, UnevaluatedResult } from './results';
import { escapeXml } from './util/xml';

/** A tagged template that escapes what it interpolates, unless it is already markup (an array of Markup or a Markup). */
class Markup {
  readonly html: string;
  // No parameter property: Cucumber loads formatter files with Node's type stripping (cucumber.js).
  constructor(markup: string) {
    this.html = markup;
  }
}
function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  const part = (v: unknown): string => (v instanceof Markup ? v.html : Array.isArray(v) ? v.map(part).join('') : v === undefined || v === false ? '' : escapeXml(String(v)));
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? part(values[i]) : ''), ''));
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Findings by workload: the workload with the most severe failing finding first; in each, most severe first, failing before reported. */
export function byWorkload(findings: ResultFinding[]): [string, ResultFinding[]][] {
  const groups = new Map<string, ResultFinding[]>();
  for (const f of findings) for (const w of f.workload) groups.set(w, [...(groups.get(w) ?? []), f]);
  const order = (a: ResultFinding, b: ResultFinding) => rank(a.severity) - rank(b.severity) || Number(b.failing) - Number(a.failing) || a.checkId.localeCompare(b.checkId);
  const worst = (list: ResultFinding[]) => Math.min(...list.map((f) => rank(f.severity) + (f.failing ? 0 : 0.5)));
  return [...groups]
    .map(([w, list]) => [w, list.sort(order)] as [string, ResultFinding[]])
    .sort(([a, x], [b, y]) => worst(x) - worst(y) || a.localeCompare(b));
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

const STYLE = `
:root{--critical:#b71c1c;--high:#e65100;--medium:#8d6e00;--low:#455a64;--ok:#2e7d32;--line:#e0e0e0}
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans KR",sans-serif;margin:0 auto;max-width:64rem;padding:1rem;line-height:1.45;color:#212121}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.meta{color:#616161;font-size:.9rem}.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.8rem 0}.count{border:1px solid var(--line);border-radius:.4rem;padding:.3rem .6rem;font-size:.9rem}
.finding{border-left:.35rem solid var(--line);padding:.4rem .7rem;margin:.6rem 0;background:#fafafa;break-inside:avoid}
.finding.critical{border-color:var(--critical)}.finding.high{border-color:var(--high)}.finding.medium{border-color:var(--medium)}.finding.low{border-color:var(--low)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;padding:.05rem .4rem;border-radius:.3rem;color:#fff;margin-right:.3rem}
.badge.critical{background:var(--critical)}.badge.high{background:var(--high)}.badge.medium{background:var(--medium)}.badge.low{background:var(--low)}
.badge.new{background:#6a1b9a}.badge.reported{background:#fff;color:#616161;border:1px solid #9e9e9e}
.message{margin:.3rem 0}.evidence{margin:.2rem 0;font-size:.85rem;color:#424242;font-family:ui-monospace,monospace}.fix code{display:block;white-space:pre-wrap;word-break:break-all;font-size:.8rem;background:#f0f0f0;padding:.3rem .5rem;border-radius:.3rem}
.links a{font-size:.85rem;margin-right:.8rem}.none{color:var(--ok);font-weight:600}
@media print{body{max-width:none;padding:0}.links{display:none}.finding{background:none}}
`;

function findingBlock(f: ResultFinding, pictures: Map<string, string>, workload: string): Markup {
  const evidence = `cucumber.html?query=${encodeURIComponent(f.scenarios[0]?.split(': ').slice(1).join(': ') ?? f.checkId)}`;
  const picture = pictures.get(workload);
  return html`<div class="finding ${f.severity}" data-fingerprint="${f.fingerprint}" data-severity="${f.severity}">
<div><span class="badge ${f.severity}">${f.severity}</span>${f.change === 'new' ? html`<span class="badge new">new</span>` : ''}${f.failing ? '' : html`<span class="badge reported">reported, not failing</span>`}<strong>${f.checkId}</strong> · ${f.kind}${f.change === 'still' ? html` · failing since ${f.since?.slice(0, 10)}` : ''}</div>
<p class="message">${f.message}</p>
${(f.evidence ?? []).map((line) => html`<p class="evidence">${line}</p>`)}
<div class="fix"><code>${f.fix.cli}</code></div>
<div class="links"><a href="${evidence}">full evidence</a>${picture ? html`<a href="${picture}">network picture</a>` : ''}</div>
</div>`;
}

function unevaluatedBlock(u: UnevaluatedResult): Markup {
  return html`<div class="finding unevaluated" data-fingerprint="${u.fingerprint}" data-not-evaluated="${u.checkId}">
<div><span class="badge reported">not evaluated</span><strong>${u.checkId}</strong> · ${u.workload.join(', ')}</div>
<p class="message">${u.message}</p>
<p class="evidence">because ${u.reason}</p>
${(u.evidence ?? []).map((line) => html`<p class="evidence">${line}</p>`)}
</div>`;
}

export function renderSummary(results: Results, pictures: Map<string, string>): string {
  const accounts = [...new Set([...results.evaluated.map((e) => `${e.account}/${e.region}`), ...results.findings.map((f) => `${f.account}/${f.region}`)])];
  const failing = results.findings.filter((f) => f.failing);
  const bySeverity = SEVERITIES.map((s) => [s, results.findings.filter((f) => f.severity === s).length] as const);
  const byKind = KINDS.map((k) => [k, results.findings.filter((f) => f.kind === k).length] as const);
  const news = results.findings.filter((f) => f.change === 'new').length;
  const groups = byWorkload(results.findings);
  const unevaluated = results.notEvaluated ?? [];
  const stopped = results.unevaluatedScenarios ?? [];
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ecs-preflight: ${failing.length} failing, ${results.findings.length} findings${unevaluated.length ? `, ${unevaluated.length} not evaluated` : ''}</title><style>${new Markup(STYLE)}</style></head>
<body>
<h1>ecs-preflight · ${accounts.join(', ') || 'no account evaluated'}</h1>
<div class="meta">${results.generatedAt.replace('T', ' ').slice(0, 19)} UTC · fails the run at ${results.failOn} and above${results.baseline ? html` · compared with the run of ${results.baseline.generatedAt.slice(0, 10)}` : ''}</div>
<div class="counts">
<span class="count"><strong>${failing.length}</strong> failing the run</span>
${bySeverity.map(([s, n]) => html`<span class="count"><span class="badge ${s}">${s}</span>${n}</span>`)}
${byKind.map(([k, n]) => html`<span class="count">${k}: ${n}</span>`)}
${results.baseline ? html`<span class="count">new: ${news}</span><span class="count">fixed: ${results.fixed.length}</span>` : ''}
${unevaluated.length ? html`<span class="count"><a href="#not-evaluated"><strong>${unevaluated.length}</strong> could not be evaluated</a></span>` : ''}
${stopped.length ? html`<span class="count"><a href="#not-run"><strong>${stopped.length}</strong> ${stopped.length === 1 ? 'scenario' : 'scenarios'} gave no verdict</a></span>` : ''}
</div>
${stopped.length ? html`<h2 id="not-run">Scenarios that gave no verdict</h2><p class="meta">Each failed without a check's verdict on what it states (a read its checks need, a scope or step that matches nothing): do what the line says, then run again.</p>${stopped.map((u) => html`<div class="finding unevaluated" data-not-run="${u.where}"><div><span class="badge reported">no verdict</span><strong>${u.checkIds.join(', ') || 'scenario'}</strong> · ${u.scenario}</div><p class="message">${u.reason}</p></div>`)}` : ''}
${groups.length === 0 ? (unevaluated.length || stopped.length ? html`<p class="meta">No findings where the checks could evaluate; what they could not is listed below.</p>` : html`<p class="none">No findings: every check that ran passed.</p>`) : ''}
${groups.map(([workload, list]) => html`<h2>${workload}</h2>${list.map((f) => findingBlock(f, pictures, workload))}`)}
${unevaluated.length ? html`<h2 id="not-evaluated">Could not be evaluated</h2><p class="meta">A read failed, so these were neither found nor passed: grant the read each names, then run again.</p>${unevaluated.map(unevaluatedBlock)}` : ''}
${results.fixed.length ? html`<h2>Fixed since the baseline</h2>${results.fixed.map((f) => html`<div class="finding"><strong>${f.checkId}</strong> · ${f.workload.join(', ')}: ${f.message}</div>`)}` : ''}
<p class="meta">Every scenario, its steps and logs: <a href="cucumber.html">cucumber.html</a> · the run as data: <a href="results.json">results.json</a> · for CI: <a href="junit.xml">junit.xml</a></p>
</body></html>
`;
  return page.html;
}

export default class SummaryPage extends ReportFile {
  static override readonly documentation = 'reports/index.html: the first screen: counts, then findings by workload, the most severe first, with fixes and links';

  protected override render(): string {
    const attempts = this.eventDataCollector.getTestCaseAttempts();
    return renderSummary(collectResults(attempts), this.writePictures(attempts));
  }

  /** The network pictures of the run, as files beside the page: workload → relative path. */
  private writePictures(attempts: ReturnType<typeof this.eventDataCollector.getTestCaseAttempts>): Map<string, string> {
    const file = (this.stream as { path?: string }).path;
    const pictures = new Map<string, string>();
    if (!file) return pictures;
    const dir = path.join(path.dirname(String(file)), 'pictures');
    // Last run's pictures would ship beside this run's reports, unlinked: they go first.
    rmSync(dir, { recursive: true, force: true });
    for (const attempt of attempts) {
      const attachments: Attachment[] = attempt.testCase.testSteps.flatMap((s) => attempt.stepAttachments[s.id] ?? []);
      for (const a of attachments) {
        const workload = a.mediaType === 'image/svg+xml' ? a.fileName?.match(/^Network picture of (.*) \(click to open\)$/)?.[1] : undefined;
        if (!workload || pictures.has(workload)) continue;
        mkdirSync(dir, { recursive: true });
        const name = `${slug(workload)}.svg`;
        writeFileSync(path.join(dir, name), a.contentEncoding === 'BASE64' ? Buffer.from(a.body, 'base64') : a.body);
        pictures.set(workload, `pictures/${name}`);
      }
    }
    return pictures;
  }
}
