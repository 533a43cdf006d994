/**
 * The site's text never becomes a workflow command, a tag or link in the job summary, or a harness
 * fault (gate/untrusted.ts): the module on hostile strings, then the gate and the action's step on a
 * site whose event names, page errors and paths carry them.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { projectRoot } from '../fixtures/config.ts';
import { pastedSnippet } from '../fixtures/site.ts';
import { listed } from '../fixtures/matchers.ts';
import { runActionStep } from '../fixtures/nested-run.ts';
import { finding, formatFinding } from '../gate/findings.ts';
import { annotations, jobSummary, reportToGitHub } from '../gate/github.ts';
import { judge, summaryLines, type GateVerdict } from '../gate/judge.ts';
import { notePageError } from '../gate/limits.ts';
import { cssString, defanged, escapeData, escapeProperty, markdownCell, markdownCode, shown, shownLines } from '../gate/untrusted.ts';

const HOSTILE = [
  '\r::stop-commands::x',
  '\n::error file=README.md::forged',
  'a\u2028::error::b',
  '\u0085::error::next-line',
  '\u001b[31mred\u001b[0m',
  '\u009b31m',
  '##[error]forged',
  '  ::warning::indented',
  '<img src=x onerror=alert(1)>',
  '[link](https://evil.example)',
  '![img](https://evil.example/x.png)',
  'a|b',
  `"quoted" 'single'`,
  'back\\slash',
  'x"]',
  '\u202eevil',
];

/** The lines of output as GitHub's runner reads them: it splits on \r as well as \n. */
const runnerLines = (output: string) => output.split(/\r\n|\r|\n/);
/** Whether the runner takes a line for a workflow command (`::` after leading whitespace, `##[` anywhere). */
const isCommand = (line: string) => /^[\s\u0085]*::/.test(line) || line.includes('##[');

test.describe('shown: site text as one line of output', () => {
  for (const hostile of HOSTILE) {
    test(`${shown(hostile)} is one line that is no workflow command`, () => {
      const line = shown(hostile);
      expect(runnerLines(line)).toHaveLength(1);
      expect(isCommand(line)).toBe(false);
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    });
  }

  test('controls are shown escaped, as a reader can still read them', () => {
    expect(shown('x\r::stop-commands::y')).toBe('x\\r::stop-commands::y');
    expect(shown('\n::error file=README.md::forged')).toBe('\\n::error file=README.md::forged');
    expect(shown('\u001b[31mred')).toBe('\\u001b[31mred');
    expect(shown('a\u2028b\u2029c\tz')).toBe('a\\u2028b\\u2029c\\tz');
    expect(shown('::error::forged')).toBe('\\u003a:error::forged');
    expect(shown('  ::warning::x')).toBe('  \\u003a:warning::x');
    expect(shown('see ##[error]x')).toBe('see #\\u0023[error]x');
    expect(shown('/tickets?a=b::c')).toBe('/tickets?a=b::c');
  });

  test('a backslash is escaped, so an escaped newline and the two characters \\n never look alike', () => {
    expect(shown('\\n')).toBe('\\\\n');
    expect(shown('\\n')).not.toBe(shown('\n'));
  });

  test('shownLines keeps the gate\'s own line breaks and shows each line', () => {
    expect(shownLines('the gate crashed: Error: x\r::stop-commands::y\n    at ::error::z')).toBe('the gate crashed: Error: x\\r::stop-commands::y\n    at ::error::z');
    expect(shownLines('first\n::error::forged').split('\n').some(isCommand)).toBe(false);
  });
});

test("defanged: site text in Playwright's HTML report, which makes a link of every scheme:// and www.", () => {
  expect(defanged('sign in at https://evil.example/login or WWW.evil.example\r::error::x')).toBe('sign in at https[:]//evil.example/login or WWW[.]evil.example\\r::error::x');
  expect(defanged('one\n::error::two')).toBe('one\n\\u003a:error::two');
});

test.describe('markdownCell and markdownCode: site text in the job summary', () => {
  for (const hostile of HOSTILE) {
    test(`${shown(hostile)} renders no tag, link, image or cell of its own`, () => {
      for (const cell of [markdownCell(hostile), markdownCode(hostile).replace(/^<code>|<\/code>$/g, '')]) {
        expect(runnerLines(cell)).toHaveLength(1);
        expect(cell).not.toMatch(/[<>"'|[\]()!`*_~\\]/);
      }
    });
  }

  test('characters read as themselves: HTML entities for what Markdown or HTML would parse', () => {
    expect(markdownCell('<img src=x onerror=alert(1)>')).toBe('&#60;img src=x onerror=alert&#40;1&#41;&#62;');
    expect(markdownCell('[link](https://evil.example)')).toBe('&#91;link&#93;&#40;https&#58;//evil.example&#41;');
    expect(markdownCell('a|b')).toBe('a&#124;b');
    expect(markdownCell('www.evil.example @someone :smile:')).toBe('www&#46;evil.example &#64;someone &#58;smile&#58;');
    expect(markdownCode('/tickets')).toBe('<code>/tickets</code>');
    expect(markdownCode('/a`b|c')).toBe('<code>/a&#96;b&#124;c</code>');
  });
});

test.describe('escapeData and escapeProperty: workflow commands as GitHub escapes them', () => {
  test('the message and the properties of an annotation', () => {
    expect(escapeData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
});

test.describe('cssString: site text in a selector', () => {
  test('quotes, backslashes, brackets and controls are escaped', () => {
    expect(cssString('acme/x')).toBe('"acme/x"');
    expect(cssString('a"]\n\\')).toBe('"a\\"]\\a \\\\"');
    expect(cssString('\r\u0001')).toBe('"\\d \\1 "');
  });

  test('a selector built with it finds exactly the element whose attribute holds the hostile value', async ({ page }) => {
    const values = [...HOSTILE, 'acme-events/x"]\n\\', "it's", '\\"', 'a\\a b'];
    await page.setContent('<body></body>');
    await page.evaluate((all) => {
      for (const [i, value] of all.entries()) {
        const widget = document.createElement('tito-widget');
        widget.setAttribute('event', value);
        widget.id = `w${i}`;
        document.body.append(widget);
      }
    }, values);
    for (const [i, value] of values.entries()) {
      const found = page.locator(`[data-tito-event=${cssString(value)}], tito-widget[event=${cssString(value)}]`);
      await expect(found, JSON.stringify(value)).toHaveCount(1);
      await expect(found, JSON.stringify(value)).toHaveId(`w${i}`);
    }
  });
});

test.describe('the gate\'s outputs on a verdict that quotes hostile text', () => {
  const verdict = (): GateVerdict =>
    judge(
      [
        {
          title: 'affiliate visit to /x',
          status: 'failed',
          page: '/x|y',
          kind: 'click',
          findings: [
            ...HOSTILE.map((h) => finding('PAGE_ERROR', '/x|y', `the page threw ${h} and went on`)),
            // An error's fix is printed too, and may quote the site (an origin it named).
            ...HOSTILE.map((h, i) => finding('CLICK_COOKIE_MISSING', '/x|y', `link ${i} led to another host`, { fix: `set SITE_ORIGIN=https://${h}` })),
          ],
        },
        { title: 'the site', status: 'passed', page: '*', kind: 'site', findings: [finding('SITEMAP_FOREIGN_URL', '*', '<img src=x> [link](https://evil.example)\r::error::x')], pages: [{ path: '/x|y', foundBy: ['link'], status: 200, storefronts: ['acme/\r::stop-commands::x'] }] },
      ],
      [],
      'failed',
    );

  test('the terminal summary and each finding: no line a workflow command', () => {
    const printed = [...summaryLines(verdict()), ...verdict().findings.map(formatFinding)].join('\n');
    expect(runnerLines(printed).filter(isCommand)).toEqual([]);
    expect(printed).toContain('acme/\\r::stop-commands::x');
    expect(printed).toContain('        fix: set SITE_ORIGIN=https://');
  });

  test('the annotations: each one command, of the gate', () => {
    const lines = annotations(verdict(), undefined, projectRoot);
    expect(lines).toHaveLength(2 * HOSTILE.length + 1);
    for (const line of lines) {
      expect(runnerLines(line)).toHaveLength(1);
      expect(line).toMatch(/^::(error|warning) title=[A-Z_]+ on [^:]*::/);
      expect(line).not.toContain('##[');
    }
  });

  test('the job summary: no tag, link or image of the site, one cell per column', () => {
    const summary = jobSummary(verdict());
    expect(summary).not.toMatch(/<img|\]\(http|!\[|##\[/i);
    expect(runnerLines(summary).filter(isCommand)).toEqual([]);
    const rows = summary.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.split('|'), row).toHaveLength(6);
    expect(summary).toContain('<code>/x&#124;y</code>');
  });
});

test.describe('the gate\'s outputs on a flood of findings', () => {
  const flood = (count: number, size: number): GateVerdict =>
    judge([{ title: 'affiliate visit to /x', status: 'failed', page: '/x', kind: 'click', findings: Array.from({ length: count }, (_, i) => finding('PAGE_ERROR', '/x', `${i} ${'<'.repeat(size)}`)) }], [], 'failed');

  test('the job summary stays under the 1 MiB GitHub shows, the rows past it counted', () => {
    const summary = jobSummary(flood(3000, 4_000));
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    expect(summary).toMatch(/… and \d+ more rows: the whole report is in gate\.json\.\n$/);
  });

  test('thousands of third-party hosts with long names: the summary stays under 1 MiB and the terminal line short, 20 hosts named and the rest counted', () => {
    const hosts = Array.from({ length: 2_000 }, (_, i) => ({ host: `h${i}.${'w.'.repeat(i < 20 ? 20_000 : 120)}example`, kind: 'third-party' as const, requests: 1, examples: [] }));
    const verdict = judge([{ title: 'affiliate visit to /', status: 'passed', page: '/', kind: 'click', findings: [], thirdParties: hosts }], [], 'passed');
    const summary = jobSummary(verdict);
    expect(Buffer.byteLength(summary)).toBeLessThan(100_000);
    expect(summary).toContain(' and 1980 more (gate.json lists them all).');
    const line = summaryLines(verdict).find((l) => l.includes('third parties'))!;
    expect(line.length).toBeLessThan(10_000);
    expect(line).toMatch(/ and 1980 more \(gate\.json lists them all\)$/);
  });

  test("an annotation's file is shown escaped: a file name's control characters are never printed raw", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'annotated-'));
    const name = 'page\u001b[31m\u0007';
    mkdirSync(path.join(root, 'site'));
    writeFileSync(path.join(root, 'site', `${name}.html`), 'x');
    const at = judge([{ title: 'x', status: 'failed', page: `/${name}`, kind: 'click', findings: [finding('CLICK_NOT_TRACKED', `/${name}`, 'no click')] }], [], 'failed');
    const [line] = annotations(at, path.join(root, 'site'), root);
    expect(line).toContain('file=site/page\\u001b[31m\\u0007.html,');
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });

  test("a check that failed whose finding another check names (a journey that broke as the direct load did) is a failed row of the job summary", () => {
    const verdict = judge(
      [
        { title: 'affiliate visit and registration on /tickets', status: 'failed', page: '/tickets', kind: 'registration', findings: [finding('EXTERNAL_CID_NOT_SENT', '/tickets', 'no external CID')] },
        { title: 'journey / → /tickets', status: 'failed', page: '/tickets', kind: 'journey', findings: [finding('EXTERNAL_CID_NOT_SENT', '/tickets', 'no external CID')] },
      ],
      [],
      'failed',
    );
    const rows = jobSummary(verdict).split('\n').filter((l) => l.startsWith('| <code>/tickets</code>'));
    expect(rows.map((row) => row.split(' | ')[2])).toEqual(['❌ fails', '❌ fails']);
  });

  test('a finding of a page that was never checked (a SITE_PAGES path that answered 404) is printed, and in the job summary', () => {
    const verdict = judge(
      [
        { title: 'affiliate visit to /', status: 'passed', page: '/', kind: 'click', findings: [] },
        { title: 'the site', status: 'passed', page: '*', kind: 'site', findings: [finding('PAGE_NOT_LOADED', '/nope', '/nope (SITE_PAGES) answered 404, so it was not checked')], pages: [{ path: '/', foundBy: ['the home page'], status: 200, storefronts: [] }] },
      ],
      [],
      'passed',
    );
    expect(summaryLines(verdict)).toContain('  warning PAGE_NOT_LOADED /nope — /nope (SITE_PAGES) answered 404, so it was not checked');
    expect(jobSummary(verdict)).toContain('- **PAGE_NOT_LOADED** (warning): /nope &#40;SITE&#95;PAGES&#41; answered 404');
  });

  test("the annotations of a run point into the folder it checked, however the folder was named (an argument, not SITE_DIR)", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'annotated-'));
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist', 'tickets.html'), 'x');
    const report = path.join(root, 'gate.json');
    writeFileSync(report, JSON.stringify(judge([{ title: 'x', status: 'failed', page: '/tickets', kind: 'click', findings: [finding('TENANT_MISMATCH', '/tickets', 'not your tenant', { file: '/tickets', line: 7 })] }], [], 'failed')));
    const printed: string[] = [];
    const log = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      reportToGitHub(report, undefined, { siteDir: path.join(root, 'dist'), workspace: root });
    } finally {
      console.log = log;
    }
    expect(printed).toEqual(['::error file=dist/tickets.html,line=7,title=TENANT_MISMATCH on /tickets::not your tenant']);
  });

  test('at most 50 annotations, then one that counts the rest', () => {
    const lines = annotations(flood(120, 10), undefined, projectRoot);
    expect(lines).toHaveLength(51);
    expect(lines.at(-1)).toBe('::notice title=Attribution gate::70 more findings are in gate.json');
  });

  test("an annotation points only at a file inside the site's folder, never at a sibling folder whose name starts the same", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'annotated-'));
    for (const [file, text] of [['site/page.html', 'in'], ['site-secret/page.html', 'out']] as const) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const at = (page: string) => judge([{ title: 'x', status: 'failed', page, kind: 'click', findings: [finding('CLICK_NOT_TRACKED', page, 'no click')] }], [], 'failed');
    expect(annotations(at('/page'), path.join(root, 'site'), root)[0]).toContain('file=site/page.html,');
    expect(annotations(at('/%2e%2e%2fsite-secret%2fpage'), path.join(root, 'site'), root)[0]).not.toContain('file=');
  });

  test("a finding's message is kept to 8,000 characters: a page's value quoted in it (a 1 MB cid Trackdesk refused) stays readable in every output", () => {
    const quoted = finding('CLICK_NOT_TRACKED', '/', `Trackdesk refused the click: the landing URL carries cid ${'A'.repeat(1_000_000)}`);
    expect(quoted.message).toHaveLength(8_000 + '… (1000057 characters)'.length);
    expect(quoted.message).toMatch(/^Trackdesk refused the click: the landing URL carries cid A+… \(1000057 characters\)$/);
  });

  test("a failed check's journey (the Trackdesk records it lists) keeps 20 records of a kind, each to 1,000 characters: 20 refused 1 MB cids make no 20 MB file", () => {
    const huge = `the landing URL carries cid ${'A'.repeat(1_000_000)}`;
    const lines = listed(Array.from({ length: 25 }, () => huge), (reason) => `click to acme-events.trackdesk.com: ${reason}`);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(/^ {2}- click to acme-events\.trackdesk\.com: the landing URL carries cid A+… \(1000064 characters\)$/);
    expect(lines[0]!.length).toBeLessThan(1_100);
    expect(lines.at(-1)).toBe('  - and 5 more');
  });

  test('a page error is kept to 1,000 characters, and 20 errors a page', () => {
    const errors: string[] = [];
    for (let i = 0; i < 30; i++) notePageError(errors, `${i}${'x'.repeat(4_000_000)}`);
    notePageError(errors, 'late');
    expect(errors).toHaveLength(20);
    expect(errors[0]).toBe(`0${'x'.repeat(999)}… (4000001 characters)`);
  });
});

test.describe('the gate and the action on a site whose text is hostile', () => {
  const page = (body: string, head = CLICK_TRACKER) => `<!doctype html><html><head><title>Acme Summit</title>${head}</head><body>${body}</body></html>`;
  const CLICK_TRACKER = `<script async src="//cdn.trackdesk.com/tracking.js"></script><script>(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");trackdesk('acme-events', 'click');</script>`;
  const TITO = '<script src="https://js.tito.io/v2" async></script>';
  const THROWN = 'boom\\r::error file=README.md::forged <img src=x onerror=alert(1)> [link](https://evil.example) ![img](https://evil.example/x.png) ##[error]forged\\u2028::error::next';
  const site = {
    'index.html': page('<a href="/tickets">tickets</a> <a href="/workshop">workshop</a> <a href="/broken">broken</a> <a href="/a|b[x](http:evil.example)">pipe</a>'),
    // The event ends in `"]`, a newline and a backslash: a selector quoting it unescaped throws.
    'tickets.html': page(`${TITO}<tito-widget event="acme-events/x&quot;]&#10;\\"></tito-widget>`),
    'workshop.html': page(`${TITO}<tito-widget event="acme-events/w&#13;::stop-commands::x"></tito-widget>`),
    // No click tracker, and a script that throws: the click check quotes the page's error.
    'broken.html': page(`<script>throw new Error("${THROWN}")</script>`, ''),
    'a|b[x](http:evil.example).html': page('<p>a page with a pipe and a link in its path</p>'),
  };

  test('no forged command in the output, nothing of the site rendered in the summary, a verdict (exit code 1)', async () => {
    test.setTimeout(240_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-site-'));
    for (const [file, html] of Object.entries(site)) writeFileSync(path.join(dir, file), html);
    const github = mkdtempSync(path.join(os.tmpdir(), 'github-step-'));
    mkdirSync(path.join(github, 'results'));
    const [summary, output, report] = [path.join(github, 'summary.md'), path.join(github, 'output.txt'), path.join(github, 'gate.json')];
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const run = await runActionStep(github, ['--output', path.join(github, 'results')], {
      GATE_REPORT: report,
      SITE_DIR: dir,
      TITO_EVENT: 'acme-events/summit-2026',
      TRACKDESK_TENANT_ID: 'acme-events',
      TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
    });
    expect(run.code, run.stderr).toBe(1);

    const gate = JSON.parse(readFileSync(report, 'utf8')) as GateVerdict;
    expect(gate.findings.filter((f) => f.severity === 'fault'), 'a harness fault').toEqual([]);
    expect(readFileSync(output, 'utf8')).toBe('verdict=failed\nexit-code=1\n');
    // gate.json keeps the site's text as it is.
    expect(gate.findings).toContainEqual(expect.objectContaining({ code: 'STOREFRONT_NOT_RENDERED', page: '/tickets', message: expect.stringContaining('acme-events/x"]\n\\') }));
    expect(gate.findings).toContainEqual(expect.objectContaining({ code: 'PAGE_ERROR', page: '/broken', message: expect.stringContaining('boom\r::error file=README.md::forged') }));

    // The only commands are the gate's own annotations, one per finding.
    const commands = runnerLines(`${run.stdout}\n${run.stderr}`).filter(isCommand);
    expect(commands.filter((line) => !/^::(error|warning) (file=[^:,]*(,line=\d+)?,)?title=[A-Z_]+ on [^:]*::/.test(line))).toEqual([]);
    expect(commands).toHaveLength(gate.findings.length);
    expect(`${run.stdout}\n${run.stderr}`).toContain('acme-events/w\\r::stop-commands::x');

    const table = readFileSync(summary, 'utf8');
    expect(table).toContain('## ❌ Attribution gate: failed');
    expect(table).not.toMatch(/<img|\]\(http|!\[|##\[/i);
    const rows = table.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row.split('|'), row).toHaveLength(6);
  });

  test("with Playwright's reporter (--html, as --shard): a failed check's story and findings, which quote what the page sent, print no command and link nowhere", async () => {
    test.setTimeout(240_000);
    const hostile = '##[error]forged\\r::error::cr https://evil.example/login';
    const conversion = pastedSnippet('conversion-tracker', { tenantId: 'acme-events', revenueOriginId: hostile });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-sent-'));
    writeFileSync(path.join(dir, 'index.html'), page(`${TITO}<tito-widget event="acme-events/summit-2026"></tito-widget>${conversion}`));
    const github = mkdtempSync(path.join(os.tmpdir(), 'github-step-'));
    for (const file of ['summary.md', 'output.txt']) writeFileSync(path.join(github, file), '');
    const run = await runActionStep(github, ['--html', '--output', path.join(github, 'results')], {
      GATE_REPORT: path.join(github, 'gate.json'),
      SITE_DIR: dir,
      TITO_EVENT: 'acme-events/summit-2026',
      TRACKDESK_TENANT_ID: 'acme-events',
      TRACKDESK_REVENUE_ORIGIN_ID: '3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37',
    });
    const printed = `${run.stdout}\n${run.stderr}`;
    expect(run.code, printed).toBe(1);
    // What the page sent is quoted: in the failed check's story and its findings.
    expect(printed).toContain('Rejected tracking calls (1):');
    expect(printed).toContain('#\\u0023[error]forged');
    const commands = runnerLines(printed).filter(isCommand);
    expect(commands.filter((line) => !/^::(error|warning) (file=[^:,]*(,line=\d+)?,)?title=[A-Z_]+ on [^:]*::/.test(line))).toEqual([]);
    // Playwright's report of the failed checks (what its HTML report shows too) links nowhere.
    const reported = printed.slice(printed.indexOf('Running '), printed.search(/\n {2}✗ \//));
    expect(reported).toContain('https[:]//evil.example/login');
    expect(reported).not.toContain('https://evil.example');
  });
});
