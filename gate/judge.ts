import { FINDING_CODES, finding, formatFinding, type Finding } from './findings.ts';
import type { OutsideHost } from './network.ts';
import { shown } from './untrusted.ts';

/** One check's outcome, as the checks attach it. */
export interface CheckRecord {
  title: string;
  status: string;
  page: string;
  kind: string;
  findings: Finding[];
  /** The site record carries the pages discovery found. */
  pages?: { path: string; foundBy: string[]; status: number; storefronts: string[] }[];
  thirdParties?: OutsideHost[];
}

export interface GateVerdict {
  ok: boolean;
  verdict: 'passed' | 'failed' | 'harness fault';
  /** 0 passed, 1 attribution breaks, 2 the gate could not run (a harness fault or a configuration mistake). */
  exitCode: 0 | 1 | 2;
  summary: { pages: number; checks: number; errors: number; warnings: number };
  pages: { path: string; foundBy: string[]; status: number; storefronts: string[]; checks: { kind: string; title: string; status: string; findings: Finding[] }[]; findings: Finding[] }[];
  /** Every finding, errors first. */
  findings: Finding[];
  /** Hosts the site reached that have no stand-in: answered locally with a neutral response. */
  thirdParties: { host: string; requests: number; pages: string[] }[];
  /** What each code that occurs means. */
  codes: Record<string, string>;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const RANK = { fault: 0, error: 1, warning: 2 } as const;

/** The verdict: passed only when no check found an error and the harness ran every check. */
export function judge(records: CheckRecord[], crashes: string[], runStatus: string): GateVerdict {
  // A shard holds the site record only if it ran that test; its other pages are known by their checks.
  const site = records.find((r) => r.kind === 'site');
  const pages = new Map<string, GateVerdict['pages'][number]>();
  for (const p of site?.pages ?? []) pages.set(p.path, { ...p, checks: [], findings: [] });
  for (const r of records) if (r.page !== '*' && !pages.has(r.page)) pages.set(r.page, { path: r.page, foundBy: [], status: 200, storefronts: [], checks: [], findings: [] });
  const all: Finding[] = [];
  const seen = new Set<string>();
  // A journey that breaks the way the page's direct load already broke adds nothing: the direct load names it.
  const direct = new Set(records.filter((r) => r.kind !== 'journey').flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}|${f.page}`)));
  // So does one that breaks as an earlier journey to that page broke: the first way in (the shortest) names it.
  const journeyNamed = new Set<string>();
  for (const record of records) {
    const brokeHere: string[] = [];
    const entry = pages.get(record.page);
    const check = { kind: record.kind, title: record.title, status: record.status, findings: [] as Finding[] };
    if (record.kind !== 'site') entry?.checks.push(check);
    for (const raw of record.findings) {
      if (record.kind === 'journey' && raw.severity === 'error') {
        const broke = `${raw.code}|${raw.page}`;
        if (direct.has(broke) || journeyNamed.has(broke)) continue;
        brokeHere.push(broke);
      }
      const f = { ...raw, message: raw.message.replace(ANSI, '') };
      const key = `${f.code}|${f.page}|${f.file}|${f.line}|${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(f);
      check.findings.push(f);
      // A site-wide check may name one page (a link on it): the finding is listed under that page.
      (pages.get(f.page) ?? entry)?.findings.push(f);
    }
    for (const broke of brokeHere) journeyNamed.add(broke);
  }
  for (const crash of crashes) all.push(finding('HARNESS_FAULT', '*', crash.replace(ANSI, '')));
  if (records.length === 0 && crashes.length === 0) all.push(finding('HARNESS_FAULT', '*', 'no check ran'));
  if (runStatus === 'interrupted' || runStatus === 'timedout') all.push(finding('HARNESS_FAULT', '*', `the run was ${runStatus} before every check ended`));
  all.sort((a, b) => RANK[a.severity] - RANK[b.severity]);

  const fault = all.some((f) => f.severity === 'fault');
  const errors = all.filter((f) => f.severity === 'error').length;
  const verdict = fault ? 'harness fault' : errors > 0 ? 'failed' : 'passed';
  return {
    ok: verdict === 'passed',
    verdict,
    exitCode: fault ? 2 : errors > 0 ? 1 : 0,
    summary: { pages: pages.size, checks: records.filter((r) => r.kind !== 'site').length, errors, warnings: all.filter((f) => f.severity === 'warning').length },
    pages: [...pages.values()],
    findings: all,
    thirdParties: thirdParties(records),
    codes: Object.fromEntries([...new Set(all.map((f) => f.code))].map((code) => [code, FINDING_CODES[code][1]])),
  };
}

function thirdParties(records: CheckRecord[]): GateVerdict['thirdParties'] {
  const hosts = new Map<string, { host: string; requests: number; pages: string[] }>();
  for (const record of records) {
    for (const h of record.thirdParties ?? []) {
      const entry = hosts.get(h.host) ?? { host: h.host, requests: 0, pages: [] };
      entry.requests += h.requests;
      if (!entry.pages.includes(record.page)) entry.pages.push(record.page);
      hosts.set(h.host, entry);
    }
  }
  return [...hosts.values()].sort((a, b) => a.host.localeCompare(b.host));
}

/** Third-party hosts named in the output; gate.json lists them all. */
export const HOSTS_SHOWN = 20;

/** The first `count` of `items`, and how many more gate.json holds. */
export function someOf(items: readonly string[], count: number): string {
  const more = items.length - count;
  return more > 0 ? `${items.slice(0, count).join(', ')} and ${more} more (gate.json lists them all)` : items.join(', ');
}

/** A host as the outputs name it: no DNS name is longer than 253 characters, so one that is is cut there. */
export const hostName = (host: string): string => (host.length > 253 ? `${host.slice(0, 253)}…` : host);

/** What a person reads first: one line per page, the findings under it, then the verdict; the site's text shown escaped. */
export function summaryLines(v: GateVerdict): string[] {
  const lines: string[] = [];
  for (const page of v.pages) {
    const mark = page.findings.some((f) => f.severity !== 'warning') ? '✗' : '✓';
    const sells = page.storefronts.length > 0 ? ` — sells ${page.storefronts.map(shown).join(', ')}` : '';
    lines.push(`  ${mark} ${shown(page.path)}${sells} (found by ${page.foundBy.map(shown).join(', ')})`);
    for (const f of page.findings) {
      lines.push(`      ${formatFinding(f).split('\n')[0]}`);
      // What to do about an error, where the gate knows: the snippet's value to fix, the setting to give.
      if (f.severity !== 'warning' && f.fix) lines.push(`        fix: ${shown(f.fix)}`);
    }
  }
  // The site's own findings, and those of a page that was never checked (a SITE_PAGES path that answered 404).
  const listed = new Set(v.pages.map((page) => page.path));
  for (const f of v.findings.filter((x) => !listed.has(x.page))) lines.push(`  ${formatFinding(f).split('\n')[0]}`);
  if (v.thirdParties.length > 0) lines.push(`  third parties answered locally (nothing left the machine): ${someOf(v.thirdParties.map((t) => shown(hostName(t.host))), HOSTS_SHOWN)}`);
  const { pages, checks, errors, warnings } = v.summary;
  lines.push(`gate: ${v.verdict === 'harness fault' ? 'harness fault (the gate could not run; not a verdict on your site)' : v.verdict} — ${pages} pages, ${checks} checks, ${errors} errors, ${warnings} warnings`);
  return lines;
}
