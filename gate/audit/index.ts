/**
 * The static audit of one page: what its served HTML and the scripts it runs say about the guide's two
 * snippets. Errors are only what definitely breaks attribution (a wrong literal value, a placeholder, a
 * typo'd command, Tito v1, a script that does not parse); whatever the audit cannot see or follow is a
 * warning, and the browser checks have the last word.
 */
import { escapeRegExp } from '../../mocks/patterns.ts';
import { TITO_SCRIPT_HOST, TITO_V1_SRC, TITO_V2_SRC, TITO_V2_URL } from '../../mocks/tito/protocol.ts';
import { TRACKING_SCRIPT_PATH, TRACKING_SCRIPT_URL } from '../../mocks/trackdesk/protocol.ts';
import { finding, type Finding } from '../findings.ts';
import { hostKind, imitated, SITE_UNDER_TEST_ORIGIN } from '../hosts.ts';
import { scanHtml, type ScriptTag } from './html.ts';
import { PageBindings } from './resolve.ts';
import { MENTIONS_SNIPPET, parseScript, stringLiteral, type ParsedScript, type ScriptSource } from './script.ts';
import { checkCalls, type AuditSettings } from './rules.ts';

export type { AuditSettings } from './rules.ts';

/** Everything the audit reads for one page. */
export interface PageSources {
  page: string;
  /** The HTML as the site serves it. */
  html: string;
  /** Same-origin script files the page loads (by `<script src>` or at run time), path → code. */
  scriptFiles: ReadonlyMap<string, string>;
  /** Same-origin script paths that only appeared at run time, in the order they loaded. */
  runtimeScriptPaths?: readonly string[];
  /** Inline scripts that appeared in the page at run time (not in the served HTML). */
  runtimeInlineScripts?: readonly string[];
  /** Storefronts the rendered page showed: `account/event`s. */
  renderedStorefronts?: readonly string[];
  /** Every script URL the page loaded, absolute. */
  loadedScriptUrls?: readonly string[];
}

export const RUN_TIME = '(inserted at run time)';

/** A tracking.js from a host that is, or looks like, Trackdesk's: a posing host is its own finding, not a missing script. */
const TRACKING_SCRIPT_ANY_HOST = new RegExp(`//[^/]*trac?kdesk[^/]*${escapeRegExp(TRACKING_SCRIPT_PATH)}`);

export function auditPage(sources: PageSources, settings: AuditSettings): Finding[] {
  const { page } = sources;
  const html = scanHtml(sources.html);
  const found: Finding[] = [];
  const add = (code: Finding['code'], message: string, where: { file?: string; line?: number; fix?: string } = {}) =>
    found.push(finding(code, page, message, { file: where.file ?? page, ...where }));

  const scripts = scriptsOf(sources, html.scripts, settings.ownHosts).map(parseScript);
  for (const bad of scripts.filter((s) => s.error && MENTIONS_SNIPPET.test(s.source.code))) {
    add('SCRIPT_NOT_PARSABLE', `a script that mentions trackdesk or tito does not parse, so none of it runs: ${bad.error}`, {
      file: bad.source.file,
      line: bad.source.firstLine + lineOf(bad.error!) - 1,
      fix: 'look for HTML-escaped quotes (&quot;) from a template filter, or a stray character, in the pasted snippet',
    });
  }
  for (const deep of scripts.filter((s) => s.unreadable && MENTIONS_SNIPPET.test(s.source.code))) {
    add('SCRIPT_NOT_READ', `a script that mentions trackdesk or tito could not be read by the audit: ${deep.unreadable}`, {
      file: deep.source.file,
      line: deep.source.firstLine,
      fix: 'nothing to fix if the browser checks pass; the audit reads snippets best in a script of their own',
    });
  }
  const parsed = scripts.filter((s) => s.program);
  const bindings = new PageBindings(parsed);
  const calls = parsed.flatMap((s) => s.trackdeskCalls);
  const handlers = parsed.flatMap((s) => s.titoHandlers);
  const scriptUrls = [...html.scripts.map((s) => s.src).filter((s): s is string => s !== null), ...(sources.loadedScriptUrls ?? [])];

  const posingHosts = new Set<string>();
  for (const src of new Set(scriptUrls)) {
    const host = hostOf(src, page, settings.ownHosts);
    if (host && hostKind(host) === 'posing' && !posingHosts.has(host)) {
      posingHosts.add(host);
      const tag = html.scripts.find((s) => s.src === src);
      add('HOST_POSING', `the page loads ${src}: ${host} is not ${imitated(host)}, so the snippet never reaches it`, { line: tag?.line, fix: `copy the URL from the guide: ${TRACKING_SCRIPT_URL}, ${TITO_V2_URL}` });
    }
  }
  const titoV1 = scriptUrls.some((src) => TITO_V1_SRC.test(src));
  const titoV2 = scriptUrls.some((src) => TITO_V2_SRC.test(src));
  if (titoV1 && !titoV2 && handlers.some((h) => h.api === 'tito')) {
    const tag = html.scripts.find((s) => s.src && TITO_V1_SRC.test(s.src));
    add('TITO_V1', `the page loads Tito's deprecated v1 script (${tag?.src ?? `${TITO_SCRIPT_HOST}/v1`}), which has no tito() queue: the guide's tito('on:registration:finished', …) never runs, so no buyer email reaches Trackdesk`, {
      line: tag?.line,
      fix: `load ${TITO_V2_URL} instead of v1`,
    });
  }

  if (calls.length > 0 && !scriptUrls.some((src) => TRACKING_SCRIPT_ANY_HOST.test(src))) {
    add('TRACKING_SCRIPT_MISSING', `trackdesk() is called, but no <script src="${TRACKING_SCRIPT_URL}"> loads Trackdesk, so the calls stay queued`, {
      line: calls[0]!.line,
      file: calls[0]!.file,
      fix: `keep the guide's <script async src="${TRACKING_SCRIPT_URL}"></script> line`,
    });
  }
  checkComments(html.comments, calls, add);
  checkCalls({ calls, handlers, bindings, scripts: parsed, html, page, settings, add, storefront: html.titoElements.length > 0 || (sources.renderedStorefronts?.length ?? 0) > 0, brokenSnippet: scripts.some((s) => s.error && MENTIONS_SNIPPET.test(s.source.code)) });
  checkStorefronts(sources, html, settings, add);
  return found;
}

/** The page's scripts in the order they run: inline and same-origin files by tag, then what came at run time. */
function scriptsOf(sources: PageSources, tags: ScriptTag[], ownHosts?: ReadonlySet<string>): ScriptSource[] {
  const list: ScriptSource[] = [];
  for (const tag of tags) {
    const blocking = !tag.deferred;
    if (tag.code !== null) list.push({ file: sources.page, firstLine: tag.codeLine, code: tag.code, index: tag.index, blocking, inHead: tag.inHead });
    else if (tag.src) {
      const path = sameOriginPath(tag.src, sources.page, ownHosts);
      const code = path ? sources.scriptFiles.get(path) : undefined;
      if (path && code !== undefined) list.push({ file: path, firstLine: 1, code, index: tag.index, blocking, inHead: tag.inHead });
    }
  }
  let index = tags.length;
  for (const path of sources.runtimeScriptPaths ?? []) {
    const code = sources.scriptFiles.get(path);
    // Where a script inserted at run time sits is the framework's choice (next/script appends to <body>): not judged.
    if (code !== undefined && !list.some((s) => s.file === path)) list.push({ file: path, firstLine: 1, code, index: index++, blocking: false, inHead: true });
  }
  for (const code of sources.runtimeInlineScripts ?? []) list.push({ file: RUN_TIME, firstLine: 1, code, index: index++, blocking: false, inHead: true });
  return list;
}

function checkComments(comments: ReturnType<typeof scanHtml>['comments'], calls: ParsedScript['trackdeskCalls'], add: (code: Finding['code'], message: string, where?: { line?: number }) => void): void {
  const liveCommands = new Set(calls.map((c) => (c.node.arguments[1] ? stringLiteral(c.node.arguments[1]) : null)));
  for (const comment of comments) {
    const command = comment.kind === 'conversion' ? 'externalCid' : 'click';
    if (comment.kind !== 'other' && !liveCommands.has(command)) add('SNIPPET_IN_COMMENT', `the ${comment.kind === 'click' ? 'click tracker' : 'conversion tracker'} is inside an HTML comment, so it never runs: "<!--${comment.text}…"`, { line: comment.line });
    else add('SNIPPET_COMMENTED_COPY', `a commented-out copy of a snippet: "<!--${comment.text}…"`, { line: comment.line });
  }
}

function checkStorefronts(sources: PageSources, html: ReturnType<typeof scanHtml>, settings: AuditSettings, add: (code: Finding['code'], message: string, where?: { line?: number; fix?: string }) => void): void {
  const events = new Map<string, number | undefined>();
  for (const element of html.titoElements) if (element.event) events.set(element.event, element.line);
  for (const event of sources.renderedStorefronts ?? []) if (!events.has(event)) events.set(event, undefined);
  for (const [event, line] of events) {
    const account = event.split('/')[0];
    if (settings.isListedEvent(event)) continue;
    if (settings.isListedAccount(event)) {
      add('TITO_EVENT_NOT_LISTED', `the storefront sells ${event}, which TITO_EVENT (${settings.titoEvents.join(', ')}) does not list`, { line, fix: `add ${event} (or ${account}/*) to TITO_EVENT` });
    } else {
      add('TITO_EVENT_MISMATCH', `the storefront sells ${event}, of the Tito account "${account}", which TITO_EVENT (${settings.titoEvents.join(', ')}) does not name: its payments do not reach your Trackdesk Stripe app`, {
        line,
        fix: `embed your own event (event="${settings.titoEvents[0]}"), or add ${event} to TITO_EVENT if that account pays into the same Stripe account`,
      });
    }
  }
}

/** A script URL's host, or null on the site (the gate's origin, or a host of the site's own). */
function hostOf(src: string, page: string, ownHosts: ReadonlySet<string> = NO_HOSTS): string | null {
  try {
    const url = new URL(src, SITE_UNDER_TEST_ORIGIN + page);
    return url.origin === SITE_UNDER_TEST_ORIGIN || ownHosts.has(url.host) ? null : url.hostname;
  } catch {
    return null;
  }
}

/** The site's own path of a script URL (on the gate's origin, or a host of the site's own), or null for another host. */
export function sameOriginPath(src: string, page: string, ownHosts: ReadonlySet<string> = NO_HOSTS): string | null {
  try {
    const url = new URL(src, SITE_UNDER_TEST_ORIGIN + page);
    return url.origin === SITE_UNDER_TEST_ORIGIN || (/^https?:$/.test(url.protocol) && ownHosts.has(url.host)) ? url.pathname : null;
  } catch {
    return null;
  }
}

const NO_HOSTS: ReadonlySet<string> = new Set();

function lineOf(acornError: string): number {
  return Number(/\((\d+):\d+\)$/.exec(acornError)?.[1] ?? 1);
}
