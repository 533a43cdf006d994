import type { HarnessConfig } from '../fixtures/config.ts';
import { auditPage, sameOriginPath, type AuditSettings } from './audit/index.ts';
import type { CheckoutLink } from './audit/checkout-links.ts';
import { scanHtml } from './audit/html.ts';
import { isListedAccount, isListedEvent } from './config.ts';
import type { DiscoveredPage } from './discover.ts';
import { linkFollowing } from './navigation.ts';
import type { PlannedPage } from './plan.ts';
import { fetchSitePath, textWithin } from './site.ts';


/** The static audit of every discovered page, with the site's own script files each page runs. */
export async function auditSite(pages: DiscoveredPage[], siteUrl: string, harness: HarnessConfig, titoEvents: readonly string[] | null = harness.tito.events, ownHosts: ReadonlySet<string> = new Set()): Promise<PlannedPage[]> {
  const settings: AuditSettings = {
    ownHosts,
    tenantId: harness.trackdesk.tenantId,
    revenueOriginId: harness.trackdesk.revenueOriginId,
    titoEvents: titoEvents ?? [],
    isListedEvent: (e) => isListedEvent(e, titoEvents),
    isListedAccount: (e) => isListedAccount(e, titoEvents),
  };
  const files = new Map<string, Promise<string | undefined>>();
  const code = (file: string) => {
    if (!files.has(file)) files.set(file, fetchScript(siteUrl, file));
    return files.get(file)!;
  };
  const planned: PlannedPage[] = [];
  for (const page of pages) {
    const html = scanHtml(page.html);
    const rendered = page.rendered;
    const servedInline = new Set(html.scripts.map((s) => s.code?.trim()).filter(Boolean));
    const servedFiles = html.scripts.map((s) => (s.src ? sameOriginPath(s.src, page.path, ownHosts) : null)).filter((p): p is string => p !== null);
    const runtimeFiles = (rendered?.scriptUrls ?? []).map((u) => sameOriginPath(u, page.path, ownHosts)).filter((p): p is string => p !== null && !servedFiles.includes(p));
    const scriptFiles = new Map<string, string>();
    for (const file of [...servedFiles, ...runtimeFiles]) {
      const text = await code(file);
      if (text !== undefined) scriptFiles.set(file, text);
    }
    // Served storefronts count where no browser saw the page whole (static mode, or a render cut off by its limits).
    const servedStorefronts = !rendered || rendered.limits.length > 0 ? html.titoElements.map((e) => e.event).filter((e): e is string => Boolean(e)) : [];
    const storefronts = [...new Set([...(rendered?.storefronts ?? []), ...servedStorefronts])];
    const findings = page.html
      ? auditPage(
          {
            page: page.path,
            html: page.html,
            scriptFiles,
            runtimeScriptPaths: runtimeFiles,
            runtimeInlineScripts: (rendered?.inlineScripts ?? []).filter((s) => !servedInline.has(s.trim())),
            renderedStorefronts: rendered?.storefronts,
            loadedScriptUrls: rendered?.scriptUrls,
          },
          settings,
        )
      : [];
    // What the visitor's browser showed, with the served HTML's line where the link is there.
    const checkoutLinks = rendered ? rendered.checkoutLinks.map((link) => ({ ...link, ...lineOf(link.href, html.checkoutLinks) })) : html.checkoutLinks;
    planned.push({ path: page.path, foundBy: page.foundBy, status: page.status, links: page.links, selects: page.selects, linksIn: page.linksIn, storefronts, checkoutLinks, scripts: linkFollowing(html, page.path, ownHosts, rendered?.linkHandling), findings });
  }
  return onceForSharedFiles(planned);
}

function lineOf(href: string, served: CheckoutLink[]): { line?: number } {
  const line = served.find((s) => s.href === href)?.line;
  return line === undefined ? {} : { line };
}

/**
 * A finding in a script file that several pages load (a site-wide bundle) is one mistake: it is named
 * once, on the page that needs that code most (the first that sells tickets, else the first that loads it).
 */
function onceForSharedFiles(pages: PlannedPage[]): PlannedPage[] {
  const owner = new Map<string, PlannedPage>();
  for (const page of [...pages].sort((a, b) => Number(b.storefronts.length > 0) - Number(a.storefronts.length > 0))) {
    for (const f of page.findings) {
      const key = `${f.code}|${f.file}|${f.line}|${f.message}`;
      if (f.file?.startsWith('/') && f.file !== page.path && !owner.has(key)) owner.set(key, page);
    }
  }
  return pages.map((page) => ({
    ...page,
    findings: page.findings.filter((f) => {
      const shared = owner.get(`${f.code}|${f.file}|${f.line}|${f.message}`);
      return !shared || shared === page;
    }),
  }));
}

async function fetchScript(siteUrl: string, file: string): Promise<string | undefined> {
  const { response } = await fetchSitePath(siteUrl, file).catch(() => ({ response: null }));
  if (!response?.ok) return undefined;
  return textWithin(response);
}
