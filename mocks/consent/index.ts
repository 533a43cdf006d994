/**
 * Stand-ins for the consent managers sites load from their vendor's host (Cookiebot's uc.js, OneTrust's
 * otSDKStub.js): the same banner controls, cookies, globals and events as theirs, and the scripts a page
 * holds for consent (`type="text/plain"` with the manager's marks) run once the visitor accepts, as the
 * manager runs them. Without them the vendor's script got the gate's neutral answer: no banner showed,
 * and a click tracker held for consent never ran, for any visitor. The gate's visitor accepts the banner
 * as on a banner the site serves itself (gate/consent.ts).
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { browserScript } from '../browser-script.ts';

/** A manager's script with the shared part, in one function: nothing of the stand-in is left in the page's globals but the manager's own. */
const managerScript = (file: string) => `(function () {\n${browserScript(import.meta.url, ['./shared.js', file], {})}\n})();`;
const COOKIEBOT_JS = managerScript('./cookiebot.js');
const ONETRUST_JS = managerScript('./onetrust.js');
const javascript = (body: string) => () => new HttpResponse(body, { headers: { 'content-type': 'application/javascript' } });

/** Where the managers' scripts are served from. */
const CONSENT_MANAGER_SCRIPTS = {
  cookiebot: /^https:\/\/consent\.cookiebot\.(com|eu)\/uc\.js(\?.*)?$/,
  onetrust: /^https:\/\/(cdn\.cookielaw\.org|cdn-[a-z]+\.onetrust\.com|optanon\.blob\.core\.windows\.net)\/(scripttemplates|consent\/[\w-]+)\/otSDKStub\.js(\?.*)?$/,
};

/**
 * The consent managers' scripts, each a stand-in whose banner the gate's visitor answers "Accept all".
 *
 * @example
 * msw.resetHandlers(...siteHandlers(siteUrl), ...trackdeskHandlers(collector), ...consentManagerHandlers());
 */
export function consentManagerHandlers(): HttpHandler[] {
  return [http.get(CONSENT_MANAGER_SCRIPTS.cookiebot, javascript(COOKIEBOT_JS)), http.get(CONSENT_MANAGER_SCRIPTS.onetrust, javascript(ONETRUST_JS))];
}
