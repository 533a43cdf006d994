import type * as acorn from 'acorn';
import { TITO_V2_SRC } from '../../mocks/tito/protocol.ts';
import { COMMANDS_IN_WORDS, PLACEHOLDERS, TRACKING_COMMANDS, TRACKING_SCRIPT_SRC } from '../../mocks/trackdesk/protocol.ts';
import type { Finding } from '../findings.ts';
import type { HtmlScan } from './html.ts';
import { describe, type PageBindings, type Resolved } from './resolve.ts';
import { propertyName, stringLiteral, type FunctionNode, type ParsedScript, type TitoHandler, type TrackdeskCall } from './script.ts';

export interface AuditSettings {
  tenantId: string;
  revenueOriginId: string;
  titoEvents: readonly string[];
  isListedEvent(event: string): boolean;
  isListedAccount(event: string): boolean;
  /** Hosts that are the site's own besides the gate's (SITE_ORIGIN's, SITE_URL's, its canonical one): a script there is the site's file. */
  ownHosts?: ReadonlySet<string>;
}

const COMMANDS: readonly string[] = TRACKING_COMMANDS;

type Add = (code: Finding['code'], message: string, where?: { file?: string; line?: number; fix?: string }) => void;

interface Context {
  calls: TrackdeskCall[];
  handlers: TitoHandler[];
  bindings: PageBindings;
  scripts: ParsedScript[];
  html: HtmlScan;
  page: string;
  settings: AuditSettings;
  /** Whether the page shows a Tito storefront (served or rendered). */
  storefront: boolean;
  /** A snippet is on the page but does not parse: it is not missing, it is broken (reported as such). */
  brokenSnippet: boolean;
  add: Add;
}

/** The guide's rules for every trackdesk() call and tito handler on the page. */
export function checkCalls(context: Context): void {
  const { calls, bindings, settings, add } = context;
  const at = (call: { file: string; line: number }) => ({ file: call.file, line: call.line });
  for (const call of calls) {
    const [tenantNode, commandNode, paramsNode] = call.node.arguments;
    const tenant = bindings.resolve(tenantNode, call.script);
    checkTenant(tenant, settings, (message, fix) => {
      const code = tenant.kind === 'unresolved' ? 'VALUE_UNRESOLVED' : tenant.kind === 'value' && tenant.value === PLACEHOLDERS.tenantId ? 'PLACEHOLDER_LEFT' : 'TENANT_MISMATCH';
      const host = code === 'TENANT_MISMATCH' ? hostBranch(call, calls.some((c) => c !== call && resolvesTo(context, c, 0, settings.tenantId))) : null;
      if (host) add('VALUE_UNRESOLVED', `${message}, but it sits in ${host}, beside a call with yours: the browser checks decide which runs`, { ...at(call), fix });
      else add(code, message, { ...at(call), fix });
    });
    const command = commandNode ? bindings.resolve(commandNode, call.script) : ({ kind: 'undefined', source: 'nothing' } as Resolved);
    if (command.kind === 'value' && !COMMANDS.includes(command.value)) {
      const meant = COMMANDS.find((c) => c.toLowerCase() === command.value.toLowerCase());
      add('UNKNOWN_TRACKDESK_COMMAND', `trackdesk(…, "${command.value}") is not a Trackdesk command${meant ? `: did you mean "${meant}"?` : ''}`, { ...at(call), fix: `use ${COMMANDS_IN_WORDS}, spelled as in the guide` });
    }
    if (command.kind === 'value' && command.value === 'externalCid') checkExternalCid(context, call, paramsNode);
  }
  checkStubs(context);
  checkPresence(context);
}

function checkTenant(tenant: Resolved, settings: AuditSettings, report: (message: string, fix?: string) => void): void {
  if (tenant.kind === 'unresolved') report(`the Tenant ID is ${tenant.source}, and ${tenant.why}`);
  else if (tenant.kind === 'undefined') report(`the Tenant ID is ${tenant.source === describe(tenant) ? tenant.source : `${describe(tenant)} (${tenant.source})`}: trackdesk() needs your Tenant ID "${settings.tenantId}"`, `pass "${settings.tenantId}"`);
  else if (tenant.value === PLACEHOLDERS.tenantId) report(`${PLACEHOLDERS.tenantId} is still in the snippet: replace it with "${settings.tenantId}"`, `replace ${PLACEHOLDERS.tenantId} with ${settings.tenantId}`);
  else if (tenant.value !== settings.tenantId) report(`trackdesk("${tenant.value}", …) is not your tenant "${settings.tenantId}"`, `use "${settings.tenantId}"`);
}

function checkExternalCid(context: Context, call: TrackdeskCall, paramsNode: acorn.Node | undefined): void {
  const { bindings, settings, add } = context;
  const where = { file: call.file, line: call.line };
  const params = paramsNode ? bindings.objectOf(paramsNode, call.script, 0) : null;
  const field = (name: string) => params?.node.properties.find((p): p is acorn.Property => p.type === 'Property' && (p.key.type === 'Identifier' ? p.key.name : stringLiteral(p.key)) === name);

  const origin = params ? (field('revenueOriginId') ? bindings.resolve(field('revenueOriginId')!.value, params.script) : ({ kind: 'undefined', source: 'no revenueOriginId' } as Resolved)) : null;
  if (!origin) add('VALUE_UNRESOLVED', 'the externalCid parameters are computed in a way the audit cannot follow', where);
  else if (origin.kind === 'unresolved') add('VALUE_UNRESOLVED', `revenueOriginId is ${origin.source}, and ${origin.why}`, where);
  else if (origin.kind === 'value' && origin.value === PLACEHOLDERS.revenueOriginId) {
    add('PLACEHOLDER_LEFT', `${PLACEHOLDERS.revenueOriginId} is still in the snippet: replace it with "${settings.revenueOriginId}"`, { ...where, fix: `replace ${PLACEHOLDERS.revenueOriginId} with ${settings.revenueOriginId}` });
  } else if (origin.kind === 'undefined') {
    const what = origin.source === 'no revenueOriginId' ? 'missing' : origin.source === describe(origin) ? describe(origin) : `${describe(origin)} (${origin.source})`;
    add('REVENUE_ORIGIN_MISMATCH', `revenueOriginId is ${what}; yours is "${settings.revenueOriginId}"`, { ...where, fix: `pass revenueOriginId: "${settings.revenueOriginId}"` });
  } else if (origin.value.toLowerCase() !== settings.revenueOriginId) {
    const message = `revenueOriginId "${origin.value}" is not yours, "${settings.revenueOriginId}"`;
    const host = hostBranch(call, context.calls.some((c) => c !== call && revenueOriginOf(context, c) === settings.revenueOriginId));
    if (host) add('VALUE_UNRESOLVED', `${message}, but it sits in ${host}, beside a call with yours: the browser checks decide which runs`, { ...where, fix: `use "${settings.revenueOriginId}"` });
    else add('REVENUE_ORIGIN_MISMATCH', message, { ...where, fix: `use "${settings.revenueOriginId}"` });
  }

  const handler = enclosingHandler(context, call);
  if (handler && handler.tito.event !== 'registration:finished') {
    add('WRONG_TITO_EVENT', `the external CID is sent on '${handler.tito.api === 'tito' ? 'on:' : ''}${handler.tito.event}'; the buyer's email is only final on 'on:registration:finished'`, { ...where, fix: "register the handler with tito('on:registration:finished', …)" });
  } else if (!handler) {
    add('VALUE_UNRESOLVED', 'the externalCid call does not sit in a Tito handler the audit can see', where);
  }
  const cid = field('externalCid');
  if (!params || !handler) return;
  if (!cid) {
    add('EXTERNAL_CID_NOT_EMAIL', `the externalCid call sends no externalCid; send the registration's email (${paramName(handler.fn) ?? 'data'}.email)`, where);
    return;
  }
  const verdict = emailExpression(cid.value, handler.fn);
  if (verdict === 'other') {
    const source = params.script.source.code.slice(cid.value.start, cid.value.end);
    add('EXTERNAL_CID_NOT_EMAIL', `externalCid is ${source}, not the buyer's email: the Stripe app matches the Stripe customer (the buyer), so send ${paramName(handler.fn) ?? 'data'}.email`, {
      ...where,
      fix: `externalCid: ${paramName(handler.fn) ?? 'data'}.email`,
    });
  } else if (verdict === 'unknown') {
    add('VALUE_UNRESOLVED', `externalCid is ${params.script.source.code.slice(cid.value.start, cid.value.end)}, which the audit cannot follow to the registration's email`, where);
  }
}

/** The Tito handler (and its function) a call sits in, following handlers passed by name. */
function enclosingHandler(context: Context, call: TrackdeskCall): { tito: TitoHandler; fn: FunctionNode } | null {
  for (const fn of [...call.functions].reverse()) {
    const tito = context.handlers.find((h) => h.fn === fn || (h.fnName !== null && context.bindings.functionNamed(h.fnName, h.script, h.start) === fn));
    if (tito) return { tito, fn };
  }
  return null;
}

/**
 * Whether an expression is the registration's email: `data.email` (also `data?.email`, `data['email']`),
 * or `email` destructured from it. A different property of the registration (`data.name`,
 * `data.tickets[0].email`) is definitely not; anything else built from it (`data.email.trim()`) is
 * left to the browser.
 */
function emailExpression(node: acorn.Node, fn: FunctionNode): 'email' | 'other' | 'unknown' {
  const param = fn.params[0];
  const expression = unwrap(node as acorn.Expression);
  if (param?.type === 'Identifier') {
    const first = firstProperty(expression, param.name);
    if (first === null) return 'unknown';
    if (first.name !== 'email') return 'other';
    return first.node === expression ? 'email' : 'unknown';
  }
  if (param?.type === 'ObjectPattern' && expression.type === 'Identifier') {
    const bound = param.properties.find((p): p is acorn.AssignmentProperty => p.type === 'Property' && p.value.type === 'Identifier' && p.value.name === expression.name);
    if (!bound) return 'unknown';
    return bound.key.type === 'Identifier' && bound.key.name === 'email' ? 'email' : 'other';
  }
  return 'unknown';
}

/** `a?.b` is a ChainExpression around the member access. */
function unwrap(node: acorn.Expression): acorn.Expression {
  return node.type === 'ChainExpression' ? node.expression : node;
}

/** The first property read from `param` in a member chain (`data.tickets[0].email` → tickets), with its node. */
function firstProperty(expression: acorn.Expression, param: string): { name: string | null; node: acorn.Expression } | null {
  let node: acorn.Expression = expression;
  for (;;) {
    node = unwrap(node);
    if (node.type === 'CallExpression') node = node.callee as acorn.Expression;
    else if (node.type !== 'MemberExpression') return null;
    else if (node.object.type === 'Identifier' && node.object.name === param) return { name: propertyName(node), node };
    else node = node.object as acorn.Expression;
  }
}

function paramName(fn: FunctionNode): string | null {
  return fn.params[0]?.type === 'Identifier' ? fn.params[0].name : null;
}

/** Calls made where neither the queue stub nor the loaded script can have defined the function. */
function checkStubs({ calls, handlers, scripts, html, add }: Context): void {
  const trackdeskStubs = scripts.flatMap((s) => s.trackdeskStubs);
  const blockingTracking = html.scripts.filter((s) => s.src && TRACKING_SCRIPT_SRC.test(s.src) && !s.deferred);
  const firstTopLevel = calls.find((c) => c.functions.length === 0 && c.script.source.blocking);
  if (firstTopLevel && trackdeskStubs.length === 0 && !blockingTracking.some((s) => s.index * 1e7 < firstTopLevel.order)) {
    add('QUEUE_STUB_MISSING', "trackdesk() is called, but no queue stub ((function(t,d,k){…})(window,\"trackdesk\",\"TrackdeskObject\")) defines it first: the call throws \"trackdesk is not defined\"", {
      file: firstTopLevel.file,
      line: firstTopLevel.line,
      fix: "paste the guide's snippet whole, stub line included",
    });
  }
  const titoStubs = scripts.flatMap((s) => s.titoStubs);
  const blockingTito = html.scripts.filter((s) => s.src && TITO_V2_SRC.test(s.src) && !s.deferred);
  for (const handler of handlers.filter((h) => h.api === 'tito' && h.topLevel && h.script.source.blocking)) {
    const defined = titoStubs.some((s) => s.order < handler.order) || blockingTito.some((s) => s.index * 1e7 < handler.order);
    if (!defined && titoStubs.length === 0) {
      add('TITO_STUB_MISSING', `tito('on:${handler.event}', …) is called before window.tito = window.tito || function(){…} defines the queue: the call throws "tito is not defined"`, {
        file: handler.file,
        line: handler.line,
        fix: "keep the guide's line window.tito = window.tito || function() { (tito.q = tito.q || []).push(arguments);}; before the handler",
      });
      break;
    }
  }
}

/** Missing or misplaced snippets: only warnings, since scripts may add them at run time. */
function checkPresence({ calls, html, add, bindings, storefront, brokenSnippet }: Context): void {
  if (brokenSnippet) return;
  const command = (call: TrackdeskCall) => {
    const node = call.node.arguments[1];
    const resolved = node ? bindings.resolve(node, call.script) : null;
    return resolved?.kind === 'value' ? resolved.value : null;
  };
  const clicks = calls.filter((c) => command(c) === 'click');
  if (clicks.length === 0 && !html.comments.some((c) => c.kind === 'click')) {
    add('CLICK_SNIPPET_MISSING', "no trackdesk(…, 'click') call in the served page or its scripts", { line: html.headLine, fix: "paste the click tracker into this page's <head>" });
  }
  for (const click of clicks.filter((c) => !c.inHead)) {
    add('CLICK_SNIPPET_NOT_IN_HEAD', 'the click tracker is in <body>; the guide puts it in <head> so the click is tracked before anything else', { file: click.file, line: click.line });
  }
  const sendsEmail = calls.some((c) => command(c) === 'externalCid');
  if (storefront && !sendsEmail && !html.comments.some((c) => c.kind === 'conversion')) {
    add('CONVERSION_SNIPPET_MISSING', 'the page shows a Tito storefront, but no trackdesk(…, "externalCid", …) call is in the served page or its scripts', { line: html.bodyEndLine, fix: 'paste the conversion tracker at the end of <body>' });
  }
}

/**
 * The branch a call with another value sits in when it picks by host (`if (location.hostname.endsWith('.pages.dev'))`,
 * a preview's staging tenant) and a call with yours stands beside it: which runs is the browser checks' to
 * decide. Null for any other guard (`if (window.trackdesk)`, `if (data.email)`): a wrong value there is wrong.
 */
function hostBranch(call: TrackdeskCall, yoursBeside: boolean): string | null {
  if (!call.branch || !yoursBeside) return null;
  const condition = call.script.source.code.slice(call.branch.condition.start, call.branch.condition.end);
  return /\b(location|hostname|host|origin|href)\b/.test(condition) ? `${call.branch.kind} on the host` : null;
}

/** Whether argument `index` of `call` resolves to `value`. */
function resolvesTo(context: Context, call: TrackdeskCall, index: number, value: string): boolean {
  const node = call.node.arguments[index];
  if (!node) return false;
  const resolved = context.bindings.resolve(node, call.script);
  return resolved.kind === 'value' && resolved.value === value;
}

/** The revenue origin a `trackdesk(…, "externalCid", { revenueOriginId })` call names, lower-cased; null when it names none the audit can read. */
function revenueOriginOf(context: Context, call: TrackdeskCall): string | null {
  const paramsNode = call.node.arguments[2];
  const params = paramsNode ? context.bindings.objectOf(paramsNode, call.script, 0) : null;
  const field = params?.node.properties.find((p): p is acorn.Property => p.type === 'Property' && (p.key.type === 'Identifier' ? p.key.name : stringLiteral(p.key)) === 'revenueOriginId');
  const resolved = params && field ? context.bindings.resolve(field.value, params.script) : null;
  return resolved?.kind === 'value' ? resolved.value.toLowerCase() : null;
}
