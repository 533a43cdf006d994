import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { STOREFRONT_ELEMENTS } from '../../mocks/tito/protocol.ts';
import { TRACKING_SCRIPT_PATH } from '../../mocks/trackdesk/protocol.ts';
import { OPTIONS_PER_SELECT, selectWays, wayOf, type OtherWay } from './ways-in.ts';
import { buyerText, elementCheckoutUrl, targetAttribute, type CheckoutLink } from './checkout-links.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** A `<script>` as the served HTML has it. */
export interface ScriptTag {
  /** Document order. */
  index: number;
  line: number;
  src: string | null;
  /** async, defer or a module: runs after the parser has moved on. */
  deferred: boolean;
  module: boolean;
  inHead: boolean;
  /** Inline code (null for a src script or one of a non-JavaScript type). */
  code: string | null;
  /** Line of the code's first character. */
  codeLine: number;
}

export interface HtmlScan {
  /** Where a missing snippet belongs: the `<head>` start tag, and the `</body>` end tag. */
  headLine: number;
  bodyEndLine: number;
  scripts: ScriptTag[];
  /** HTML comments that hold snippet code (and so never run). */
  comments: { line: number; text: string; kind: 'click' | 'conversion' | 'other' }[];
  titoElements: { tag: string; event: string | null; line: number }[];
  links: string[];
  /** Forms, buttons and frames that lead to another page (see ways-in.ts). */
  ways: OtherWay[];
  /** Links, buttons and forms that send the buyer to Tito's hosted checkout. */
  checkoutLinks: CheckoutLink[];
  /** URLs the page gives as its own: its canonical link, `og:url`, `<base href>`. */
  ownUrls: string[];
  /** The first canonical link's URL: of the page's own URLs, the one that names its production URL. */
  canonical: string | null;
  /** The first `<base href>`: the URL the page's relative links and forms resolve against, as written. */
  base: string | null;
  /** An empty `<div id="root|app|__next|svelte">`: the mount point of a single-page app's shell. */
  emptyAppRoot: boolean;
  /**
   * The markup that decides how the page's links are followed, as `name=value` (`hx-boost=true`,
   * `data-barba-namespace=speakers`, `<turbo-frame>`): two pages running the same scripts may still follow
   * their links differently by it.
   */
  linkHandling: string[];
}

/** Attributes of the libraries that follow links without a full load (htmx, barba, swup, Unpoly, Turbo, Astro, SvelteKit, Livewire, pjax, Alpine AJAX). */
export const LINK_HANDLING = /^(?:data-)?(?:hx-(?:boost|get|target|select|swap|push-url)|barba(?:-[a-z-]+)?|swup(?:-[a-z-]+)?|no-swup|up-[a-z-]+|turbo(?:-[a-z-]+)?|astro-(?:reload|history|transition-[a-z-]+)|sveltekit-[a-z-]+|pjax(?:-[a-z-]+)?)$|^wire:navigate|^x-target$/;
/** Kinds of link-handling markup kept per page and library, at most: the rest adds nothing to tell pages apart. */
export const LINK_HANDLING_KEPT = 10;
/** A mark's value that says how links are followed (`true`, `false`, `advance`, a namespace); a URL or a selector is left out. */
export const MARK_VALUE = /^[\w.:-]{0,24}$/;

const APP_ROOTS = new Set(['root', 'app', '__next', 'svelte']);

/** Code of one of the guide's snippets: a trackdesk() or tito() call, or tracking.js's URL. */
const isSnippetCode = (text: string) => /trackdesk\s*\(|tito\s*\(/.test(text) || text.includes(TRACKING_SCRIPT_PATH.slice(1));
const STOREFRONT_TAGS: readonly string[] = Object.values(STOREFRONT_ELEMENTS);
const JS_TYPE = /^((text|application)\/(javascript|ecmascript)|module)$/i;

/** Scans by HTML text: discovery, the site's audit and the page's audit read the same served HTML. */
const scans = new Map<string, HtmlScan>();

/** Parses served HTML with the parser browsers use (parse5), keeping source lines. Iterative: any depth. Read only: the scan is shared. */
export function scanHtml(html: string): HtmlScan {
  const known = scans.get(html);
  if (known) return known;
  const scan = scanOnce(html);
  if (scans.size >= 100) scans.delete(scans.keys().next().value!);
  scans.set(html, scan);
  return scan;
}

function scanOnce(html: string): HtmlScan {
  const scan: HtmlScan = { headLine: 1, bodyEndLine: 1, scripts: [], comments: [], titoElements: [], links: [], ways: [], checkoutLinks: [], ownUrls: [], canonical: null, base: null, emptyAppRoot: false, linkHandling: [] };
  const stack: { node: Node; inHead: boolean }[] = [...parse(html, { sourceCodeLocationInfo: true }).childNodes].reverse().map((node) => ({ node, inHead: false }));
  /** Link-handling marks kept, by library. */
  const handledBy = new Map<string, number>();
  while (stack.length > 0) {
    const { node, inHead } = stack.pop()!;
    const location = 'sourceCodeLocation' in node ? node.sourceCodeLocation : undefined;
    if (node.nodeName === '#comment') {
      const text = (node as DefaultTreeAdapterMap['commentNode']).data;
      if (isSnippetCode(text)) scan.comments.push({ line: location?.startLine ?? 1, text: text.trim().slice(0, 80), kind: commentKind(text) });
    }
    if (!('tagName' in node)) continue;
    const element = node;
    const tag = element.tagName;
    if (tag === 'turbo-frame' && !scan.linkHandling.includes('<turbo-frame>')) scan.linkHandling.push('<turbo-frame>');
    for (const { name, value } of element.attrs) {
      if (!LINK_HANDLING.test(name)) continue;
      // Once each, a few per library: fifty links marked alike, or fifty hx-get URLs, must not hide the one list marked otherwise.
      const library = name.replace(/^data-/, '').split(/[-:]/)[0]!;
      const mark = MARK_VALUE.test(value) ? `${name}=${value}` : name;
      if (scan.linkHandling.includes(mark) || (handledBy.get(library) ?? 0) >= LINK_HANDLING_KEPT) continue;
      handledBy.set(library, (handledBy.get(library) ?? 0) + 1);
      scan.linkHandling.push(mark);
    }
    if (tag === 'head') scan.headLine = element.sourceCodeLocation?.startLine ?? 1;
    if (tag === 'body') scan.bodyEndLine = element.sourceCodeLocation?.endTag?.startLine ?? element.sourceCodeLocation?.endLine ?? 1;
    if (tag === 'script') scan.scripts.push(scriptTag(element, inHead, scan.scripts.length));
    if (tag === 'a' || tag === 'area') {
      const href = attribute(element, 'href');
      if (href) scan.links.push(href);
    }
    const canonical = tag === 'link' && (attribute(element, 'rel') ?? '').toLowerCase().split(/\s+/).includes('canonical');
    if (canonical && scan.canonical === null) scan.canonical = attribute(element, 'href')?.trim() ?? null;
    const own =
      canonical ? attribute(element, 'href')
      : tag === 'meta' && attribute(element, 'property') === 'og:url' ? attribute(element, 'content')
      : tag === 'base' ? attribute(element, 'href')
      : null;
    if (own) scan.ownUrls.push(own.trim());
    if (tag === 'base' && scan.base === null) scan.base = attribute(element, 'href')?.trim() ?? null;
    if (tag === 'div' && APP_ROOTS.has(attribute(element, 'id') ?? '') && element.childNodes.every((c) => c.nodeName === '#text' && !(c as DefaultTreeAdapterMap['textNode']).value.trim())) scan.emptyAppRoot = true;
    const way = wayOf(tag, (name) => attribute(element, name));
    if (way) scan.ways.push(way);
    if (tag === 'select') scan.ways.push(...selectWays(attribute(element, 'onchange'), optionValues(element)));
    const checkout = elementCheckoutUrl({ href: attribute(element, targetAttribute(tag)), onclick: attribute(element, 'onclick') }, '/');
    if (checkout) {
      const text = buyerText(tag === 'area' ? attribute(element, 'alt') : textOf(element), attribute(element, 'aria-label'));
      scan.checkoutLinks.push({ href: checkout, text, line: element.sourceCodeLocation?.startLine ?? 1 });
    }
    if (STOREFRONT_TAGS.includes(tag)) scan.titoElements.push({ tag, event: attribute(element, 'event'), line: element.sourceCodeLocation?.startLine ?? 1 });
    const children = tag === 'template' ? (element as DefaultTreeAdapterMap['template']).content.childNodes : element.childNodes;
    for (let i = (children?.length ?? 0) - 1; i >= 0; i--) stack.push({ node: children[i]!, inHead: inHead || tag === 'head' });
  }
  return scan;
}

function scriptTag(element: Element, inHead: boolean, index: number): ScriptTag {
  const location = element.sourceCodeLocation;
  const src = attribute(element, 'src');
  const type = attribute(element, 'type');
  const isJs = type === null || type === '' || JS_TYPE.test(type.trim());
  const module = type?.trim().toLowerCase() === 'module';
  const code = src || !isJs ? null : element.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
  return {
    index,
    line: location?.startLine ?? 1,
    src: isJs ? src : null,
    deferred: module || attribute(element, 'async') !== null || (src !== null && attribute(element, 'defer') !== null),
    module,
    inHead,
    code,
    codeLine: location?.startTag?.endLine ?? location?.startLine ?? 1,
  };
}

function commentKind(text: string): 'click' | 'conversion' | 'other' {
  if (/externalCid|registration:finished/i.test(text)) return 'conversion';
  if (/['"]click['"]/.test(text)) return 'click';
  return 'other';
}

/** The values of a `<select>`'s options, as the browser gives them (`value`, else the option's text); the first ones only. */
function optionValues(select: Element): string[] {
  const values: string[] = [];
  const stack: Node[] = [...select.childNodes].reverse();
  while (stack.length > 0 && values.length < OPTIONS_PER_SELECT) {
    const node = stack.pop()!;
    if (!('tagName' in node)) continue;
    if (node.tagName === 'option') values.push(attribute(node, 'value') ?? textOf(node).replace(/\s+/g, ' ').trim());
    else if (node.tagName === 'optgroup') for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  return values;
}

/** The text inside an element (iteratively: any depth). */
function textOf(element: Element): string {
  const parts: string[] = [];
  const stack: Node[] = [element];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value);
    else if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  return parts.join('');
}

function attribute(element: Element, name: string): string | null {
  return element.attrs.find((a) => a.name === name)?.value ?? null;
}
