/**
 * The gate's verdict where GitHub shows it: a job summary (a Markdown table a person reads first) and
 * annotations (`::error file=…,line=…::`) on the site's own files, so a pull request shows each mistake in
 * place. Reads gate.json, so a sharded run merged with `playwright merge-reports` reports the same.
 */
import { appendFileSync, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { hostName, HOSTS_SHOWN, someOf, type GateVerdict } from './judge.ts';
import { escapeData, escapeProperty, headline, markdownCell, markdownCode, shown, shownLines } from './untrusted.ts';

/** The Markdown job summary: the verdict, then a row per page and check; no tag, link or image of the site's renders. */
export function jobSummary(v: GateVerdict): string {
  const icon = v.verdict === 'passed' ? '✅' : v.verdict === 'failed' ? '❌' : '⚠️';
  const lines = [
    `## ${icon} Attribution gate: ${v.verdict}`,
    '',
    `${v.summary.pages} pages, ${v.summary.checks} checks, ${v.summary.errors} errors, ${v.summary.warnings} warnings.`,
    '',
    '| page | check | verdict | findings |',
    '| --- | --- | --- | --- |',
  ];
  for (const page of v.pages) {
    for (const check of page.checks) {
      const mine = check.findings;
      // A failed check whose finding another check names (a journey that broke as the direct load did) still failed.
      const verdict = (check.status !== 'passed' && check.status !== 'skipped') || mine.some((f) => f.severity !== 'warning') ? '❌ fails' : mine.length > 0 ? '⚠️ passes, with warnings' : '✅ passes';
      lines.push(`| ${markdownCode(page.path)} | ${markdownCell(check.kind)} | ${verdict} | ${mine.map((f) => `**${f.code}** ${markdownCell(cellText(f.message))}`).join('<br>') || '—'} |`);
    }
  }
  // GitHub refuses a job summary over 1 MiB, and shows nothing: the rows past the budget are counted instead.
  let size = 0;
  const fits = lines.findIndex((line) => (size += Buffer.byteLength(line) + 1) > SUMMARY_BUDGET);
  if (fits !== -1) lines.splice(fits, lines.length - fits, '', `… and ${lines.length - fits} more rows: the whole report is in gate.json.`);
  const listed = new Set(v.pages.map((page) => page.path));
  const site = v.findings.filter((f) => !listed.has(f.page));
  if (site.length > 0) lines.push('', ...site.slice(0, 50).map((f) => `- **${f.code}** (${f.severity}): ${markdownCell(cellText(f.message))}`));
  if (v.thirdParties.length > 0) lines.push('', `Third parties answered locally (nothing left the machine): ${someOf(v.thirdParties.map((t) => markdownCode(hostName(t.host))), HOSTS_SHOWN)}.`);
  return `${lines.join('\n')}\n`;
}

/** Bytes of the job summary's rows, under GitHub's 1 MiB. */
const SUMMARY_BUDGET = 800_000;
/** Annotations one run prints (GitHub shows ten of each level a step); errors come first. */
const ANNOTATIONS = 50;

/**
 * One workflow command per finding, up to {@link ANNOTATIONS}, then one that counts the rest; those with a
 * file of the site point at it, with its line. The site's text is shown escaped: one line, and never a command of its own.
 */
export function annotations(v: GateVerdict, siteDir: string | undefined, workspace: string): string[] {
  const more = v.findings.length - ANNOTATIONS;
  return [...annotationsOf(v.findings.slice(0, ANNOTATIONS), siteDir, workspace), ...(more > 0 ? [`::notice title=Attribution gate::${more} more findings are in gate.json`] : [])];
}

function annotationsOf(findings: GateVerdict['findings'], siteDir: string | undefined, workspace: string): string[] {
  return findings.map((f) => {
    const level = f.severity === 'warning' ? 'warning' : 'error';
    const file = siteDir ? sourceFile(siteDir, f.file ?? f.page) : undefined;
    const where = file ? `file=${escapeProperty(shown(path.relative(workspace, file).split(path.sep).join('/')))}${f.line ? `,line=${f.line}` : ''},` : '';
    return `::${level} ${where}title=${escapeProperty(`${f.code} on ${shown(f.page)}`)}::${escapeData(headline(f.message))}`;
  });
}

/** The file in the built folder that served a page or script path, as a static host resolves it. */
function sourceFile(siteDir: string, sitePath: string): string | undefined {
  if (!sitePath.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(sitePath);
  } catch {
    return undefined;
  }
  const base = path.join(siteDir, decoded);
  // Inside the folder itself (`/site-other/x` is not in `/site`), by the files' real paths.
  const inside = (file: string) => {
    const relative = path.relative(realpathSync(siteDir), realpathSync(file));
    return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  };
  return [base, `${base}.html`, path.join(base, 'index.html')].find((candidate) => existsSync(candidate) && statSync(candidate).isFile() && inside(candidate));
}

/** A message's first line, as far as a table cell shows it. */
const cellText = (message: string) => {
  const line = message.split('\n')[0]!;
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
};

/** A step output (`name=value` in GITHUB_OUTPUT), on one line whatever the value holds. */
export const stepOutput = (name: string, value: string | number): string => `${name}=${shown(String(value))}\n`;

/** On GitHub Actions (GITHUB_ACTIONS=true), as a pull request shows it. */
export const onGitHubActions = (): boolean => process.env.GITHUB_ACTIONS === 'true';

/**
 * The job summary, the annotations and the step outputs (verdict, exit-code) of a run that ended, from
 * its gate.json; `error` is why there is none (a command line or setting the gate refused).
 */
export function reportToGitHub(
  report: string | undefined,
  error?: string,
  { annotate = true, siteDir = process.env.SITE_DIR, workspace = process.env.GITHUB_WORKSPACE ?? process.cwd() }: { annotate?: boolean; siteDir?: string; workspace?: string } = {},
): void {
  const stored = report && existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Partial<GateVerdict> & { error?: string }) : undefined;
  const verdict = stored ?? { verdict: 'harness fault', exitCode: 2, error: error ?? 'the gate wrote no report: it was stopped before it began' };
  if (!verdict.pages) {
    console.log(`::error title=Attribution gate could not run::${escapeData(shownLines(verdict.error ?? error ?? 'no verdict'))}`);
  } else {
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, jobSummary(verdict as GateVerdict));
    if (annotate) for (const line of annotations(verdict as GateVerdict, siteDir && path.resolve(siteDir), workspace)) console.log(line);
  }
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, stepOutput('verdict', verdict.verdict ?? 'harness fault') + stepOutput('exit-code', verdict.exitCode ?? 2));
}
