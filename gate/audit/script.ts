import * as acorn from 'acorn';

export type FunctionNode = acorn.FunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;

/** Where a piece of code sits: the file (page HTML or script path), the line there, and its order on the page. */
export interface Place {
  file: string;
  line: number;
  /** Document order across the page's scripts: script index × 1e7 + offset. */
  order: number;
}

/** One script the page runs, as the audit reads it. */
export interface ScriptSource {
  file: string;
  /** Line of the code's first character in `file`. */
  firstLine: number;
  code: string;
  /** Document order of the script on the page. */
  index: number;
  /** Runs at the top level while the parser waits (a classic, non-async inline script). */
  blocking: boolean;
  inHead: boolean;
}

export interface TrackdeskCall extends Place {
  script: ParsedScript;
  node: acorn.CallExpression;
  inHead: boolean;
  /** The functions the call sits in, innermost last. */
  functions: FunctionNode[];
  /** The branch the call sits in within its function (`if`, `?:`, `&&`, a `case`): it runs only when its condition holds. */
  branch: Branch | null;
}

/** A branch of code: what it is, as code names it (`an if`), and the condition it runs on. */
export interface Branch {
  kind: string;
  condition: acorn.Node;
}

export interface TitoHandler extends Place {
  event: string;
  /** `tito('on:…')` (v2 queue) or `Tito.on(…)` (v1). */
  api: 'tito' | 'Tito.on';
  script: ParsedScript;
  /** Offset of the registering call in its script. */
  start: number;
  /** The handler: a function written in place, or the name of one declared elsewhere. */
  fn: FunctionNode | null;
  fnName: string | null;
  topLevel: boolean;
}

export interface ParsedScript {
  source: ScriptSource;
  program: acorn.Program | null;
  /** Why the script is not valid JavaScript (so the browser runs none of it). */
  error?: string;
  /** Why the audit could not read a script that may well be valid (nested deeper than its parser goes). */
  unreadable?: string;
  trackdeskCalls: TrackdeskCall[];
  titoHandlers: TitoHandler[];
  /** Places where a queue stub defines `trackdesk` or `tito`. */
  trackdeskStubs: Place[];
  titoStubs: Place[];
  /** Bindings: `const X = …`, `function X`, `window.X = …`, with the range of code that sees them. */
  bindings: Binding[];
}

export interface Binding {
  name: string;
  init: acorn.Node | null;
  /** null: visible to every script of the page (a global). */
  scope: { start: number; end: number } | null;
  script: ParsedScript;
}

export const MENTIONS_SNIPPET = /trackdesk|tito/i;

/** acorn's message when its recursive descent runs out of stack: Chromium may well run the script. */
const TOO_DEEP = /Not enough stack space/;

/**
 * Parsed programs by source text: a site-wide bundle is read by every page's audit, and parsing it again
 * for each one was most of `gate:static`'s time. Programs are only read, never changed, so they are shared.
 */
const programs = new Map<string, acorn.Program | Error>();

/** A script's program (as a classic script, else as a module), or the classic parse's error. */
function programOf(code: string): acorn.Program | Error {
  const known = programs.get(code);
  if (known) return known;
  let program: acorn.Program | Error;
  try {
    program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true });
  } catch (asScript) {
    try {
      program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true });
    } catch {
      program = asScript as Error;
    }
  }
  if (programs.size >= 500) programs.delete(programs.keys().next().value!);
  programs.set(code, program);
  return program;
}

/**
 * Calls `visit` for every node below `root`, children before their parent as acorn-walk's `fullAncestor`
 * does, with the chain of nodes above it. Iterative: a site's script nested thousands deep (a long
 * `'a' + 'a' + …`) must not overflow the stack that acorn-walk's recursion uses.
 */
export function everyNode(root: acorn.Node, visit: (node: acorn.AnyNode, chain: acorn.Node[]) => void): void {
  const chain: acorn.Node[] = [];
  const pending: { node: acorn.Node; children: acorn.Node[]; next: number }[] = [{ node: root, children: childrenOf(root), next: 0 }];
  chain.push(root);
  while (pending.length > 0) {
    const top = pending.at(-1)!;
    const child = top.children[top.next++];
    if (child) {
      pending.push({ node: child, children: childrenOf(child), next: 0 });
      chain.push(child);
      continue;
    }
    pending.pop();
    chain.pop();
    visit(top.node as acorn.AnyNode, chain);
  }
}

function childrenOf(node: acorn.Node): acorn.Node[] {
  const children: acorn.Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) children.push(value);
  }
  return children;
}

function isNode(value: unknown): value is acorn.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Parses one script and collects what the audit needs. */
export function parseScript(source: ScriptSource): ParsedScript {
  const parsed: ParsedScript = { source, program: null, trackdeskCalls: [], titoHandlers: [], trackdeskStubs: [], titoStubs: [], bindings: [] };
  const program = programOf(source.code);
  if (program instanceof Error) {
    if (TOO_DEEP.test(program.message)) parsed.unreadable = 'it is nested deeper than the audit\'s parser can follow';
    else parsed.error = program.message;
    return parsed;
  }
  parsed.program = program;
  const at = (node: acorn.Node): Place => ({ file: source.file, line: source.firstLine + (node.loc?.start.line ?? 1) - 1, order: source.index * 1e7 + node.start });
  for (const found of walkOf(program)) {
    if (found.kind === 'binding') parsed.bindings.push({ name: found.name, init: found.init, scope: found.scope, script: parsed });
    else if (found.kind === 'assignment') collectAssignment(parsed, found.node, found.name, at);
    else collectCall(parsed, found.node, found.functions, found.branch, at);
  }
  return parsed;
}

/** What the audit reads of a program, in the order of {@link everyNode}: the same whichever page's script it is. */
export type Found =
  | { kind: 'binding'; name: string; init: acorn.Node | null; scope: { start: number; end: number } | null }
  | { kind: 'assignment'; node: acorn.AssignmentExpression; name: string }
  | { kind: 'call'; node: acorn.CallExpression; functions: FunctionNode[]; branch: Branch | null };

/**
 * Walked once a program: a site-wide bundle of megabytes is in every page's audit, and walking every node
 * of it again for each page held a run of sixty pages for minutes.
 */
const walks = new WeakMap<acorn.Program, Found[]>();

export function walkOf(program: acorn.Program): Found[] {
  const known = walks.get(program);
  if (known) return known;
  const found: Found[] = [];
  everyNode(program, (n, chain) => {
    if (n.type === 'VariableDeclarator') {
      if (n.id.type === 'Identifier') found.push({ kind: 'binding', name: n.id.name, init: n.init ?? null, scope: enclosingScope(chain) });
    } else if (n.type === 'FunctionDeclaration') {
      // `export default function () {}` binds no name.
      if (n.id) found.push({ kind: 'binding', name: n.id.name, init: n, scope: enclosingScope(chain.slice(0, -1)) });
    } else if (n.type === 'AssignmentExpression') {
      const name = globalName(n.left);
      if (name) found.push({ kind: 'assignment', node: n, name });
    } else if (n.type === 'CallExpression' && readsCall(n)) {
      found.push({ kind: 'call', node: n, functions: chain.filter((a): a is FunctionNode => /Function/.test(a.type)), branch: branchOf(n, chain) });
    }
  });
  walks.set(program, found);
  return found;
}

/** The branch `node` sits in below its innermost function (`chain`: its ancestors, outermost first), named as in code; null outside any. */
function branchOf(node: acorn.Node, chain: acorn.Node[]): Branch | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    const above = chain[i]! as acorn.AnyNode;
    const child = chain[i + 1] ?? node;
    if (/Function/.test(above.type)) return null;
    if (above.type === 'IfStatement' && child !== above.test) return { kind: 'an if', condition: above.test };
    if (above.type === 'ConditionalExpression' && child !== above.test) return { kind: 'a ?: expression', condition: above.test };
    if (above.type === 'LogicalExpression' && child === above.right) return { kind: `a ${above.operator} expression`, condition: above.left };
    if (above.type === 'SwitchCase') {
      const owner = chain[i - 1] as acorn.AnyNode | undefined;
      return owner?.type === 'SwitchStatement' ? { kind: 'a switch case', condition: owner.discriminant } : null;
    }
  }
  return null;
}

/** A call {@link collectCall} takes: the queue stub's, trackdesk(…), or a Tito handler's. */
function readsCall(call: acorn.CallExpression): boolean {
  if (call.arguments.some((a) => stringLiteral(a) === 'TrackdeskObject')) return true;
  const name = globalName(call.callee);
  return name === 'trackdesk' || name === 'tito' || isTitoV1On(call.callee);
}

function collectAssignment(parsed: ParsedScript, node: acorn.AssignmentExpression, name: string, at: (n: acorn.Node) => Place): void {
  if (name === 'tito') parsed.titoStubs.push(at(node));
  if (name === 'trackdesk') parsed.trackdeskStubs.push(at(node));
  parsed.bindings.push({ name, init: node.right, scope: null, script: parsed });
}

function collectCall(parsed: ParsedScript, call: acorn.CallExpression, functions: FunctionNode[], branch: Branch | null, at: (n: acorn.Node) => Place): void {
  if (call.arguments.some((a) => stringLiteral(a) === 'TrackdeskObject')) parsed.trackdeskStubs.push(at(call));
  const name = globalName(call.callee);
  const topLevel = functions.length === 0;
  if (name === 'trackdesk') {
    parsed.trackdeskCalls.push({ ...at(call), script: parsed, node: call, inHead: parsed.source.inHead, functions, branch });
    return;
  }
  const api = name === 'tito' ? 'tito' : isTitoV1On(call.callee) ? 'Tito.on' : null;
  const event = api && call.arguments[0] ? stringLiteral(call.arguments[0]) : null;
  if (!api || !event || (api === 'tito' && !event.startsWith('on:'))) return;
  const handler = call.arguments[1];
  parsed.titoHandlers.push({
    ...at(call),
    event: api === 'tito' ? event.slice(3) : event,
    api,
    script: parsed,
    start: call.start,
    fn: handler && /Function/.test(handler.type) ? (handler as FunctionNode) : null,
    fnName: handler?.type === 'Identifier' ? handler.name : null,
    topLevel,
  });
}

function isTitoV1On(callee: acorn.CallExpression['callee']): boolean {
  return callee.type === 'MemberExpression' && globalName(callee.object) === 'Tito' && propertyName(callee) === 'on';
}

/** `trackdesk`, `window.trackdesk`, `w["trackdesk"]` → "trackdesk". */
export function globalName(node: acorn.Expression | acorn.Pattern | acorn.Super): string | null {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && ['window', 'self', 'globalThis'].includes(node.object.name)) {
    return propertyName(node);
  }
  return null;
}

export function propertyName(node: acorn.MemberExpression): string | null {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return stringLiteral(node.property);
}

export function stringLiteral(node: acorn.Node): string | null {
  const n = node as acorn.AnyNode;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]!.value.cooked ?? null;
  return null;
}

function enclosingScope(chain: acorn.Node[]): { start: number; end: number } | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]!;
    if (/Function/.test(node.type) || node.type === 'BlockStatement') return { start: node.start, end: node.end };
  }
  return null;
}
