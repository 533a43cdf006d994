// @ts-check
/* global runHeldScripts, newBanner, bannerButton */
// The stand-in for Cookiebot's uc.js (consent.cookiebot.com): a banner with Cookiebot's own controls,
// consent kept in its CookieConsent cookie, and on consent the page's held scripts
// (type="text/plain" data-cookieconsent="marketing") run, as Cookiebot runs them. Its events
// (CookiebotOnAccept, CookiebotOnConsentReady…) and window.Cookiebot are the ones sites read.
(function () {
  'use strict';
  /** @typedef {import('../browser-globals.d.ts').CookiebotApi} CookiebotApi */
  /** @typedef {import('../browser-globals.d.ts').CookiebotConsent} CookiebotConsent */
  /** @typedef {{ preferences: boolean, statistics: boolean, marketing: boolean }} Choice */
  if (window.Cookiebot && window.Cookiebot.__gateStandIn) return;
  /** @type {(keyof Choice)[]} */
  var CATEGORIES = ['preferences', 'statistics', 'marketing'];
  var stored = document.cookie.split('; ').filter(function (c) { return c.indexOf('CookieConsent=') === 0; })[0] || '';
  var answered = stored !== '';
  /** @type {CookiebotConsent} */
  var consent = { necessary: true, preferences: stored.indexOf('preferences:true') !== -1, statistics: stored.indexOf('statistics:true') !== -1, marketing: stored.indexOf('marketing:true') !== -1, method: answered ? 'explicit' : null };
  /** @type {CookiebotApi} */
  var cookiebot = {
    __gateStandIn: true,
    consent: consent,
    consented: answered && consent.marketing,
    declined: answered && !consent.marketing,
    hasResponse: answered,
    doNotTrack: false,
    show: showBanner,
    hide: hideBanner,
    renew: showBanner,
    runScripts: runScripts,
    submitCustomConsent: function (preferences, statistics, marketing) {
      answer({ preferences: !!preferences, statistics: !!statistics, marketing: !!marketing });
    },
  };
  window.Cookiebot = window.CookieConsent = cookiebot;

  /** @param {HTMLScriptElement} script */
  function allowed(script) {
    var wanted = (script.getAttribute('data-cookieconsent') || '').split(',').map(function (c) { return c.trim().toLowerCase(); });
    return wanted.every(function (c) {
      return c === 'necessary' || c === 'ignore' || (CATEGORIES.indexOf(/** @type {keyof Choice} */ (c)) !== -1 && consent[/** @type {keyof Choice} */ (c)]);
    });
  }
  function runScripts() {
    runHeldScripts('script[type="text/plain"][data-cookieconsent]', allowed);
  }
  /** @param {string} name */
  function fire(name) {
    window.dispatchEvent(new Event(name));
    var callback = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window))['CookiebotCallback_' + name.replace(/^Cookiebot/, '')];
    if (typeof callback === 'function') callback();
  }
  /** @param {Choice} choice */
  function answer(choice) {
    CATEGORIES.forEach(function (c) { consent[c] = choice[c]; });
    consent.method = 'explicit';
    var value = '{stamp:%27gate%27%2Cnecessary:true' + CATEGORIES.map(function (c) { return '%2C' + c + ':' + consent[c]; }).join('') + '%2Cmethod:%27explicit%27%2Cver:1}';
    document.cookie = 'CookieConsent=' + value + '; max-age=31536000; path=/; SameSite=Lax';
    cookiebot.hasResponse = true;
    cookiebot.consented = consent.marketing;
    cookiebot.declined = !consent.marketing;
    hideBanner();
    runScripts();
    fire(consent.marketing ? 'CookiebotOnAccept' : 'CookiebotOnDecline');
    fire('CookiebotOnConsentReady');
  }
  function showBanner() {
    var dialog = newBanner('CybotCookiebotDialog', { role: 'dialog' }, 'This website uses cookies. ');
    if (!dialog) return;
    var none = { preferences: false, statistics: false, marketing: false };
    bannerButton(dialog, 'CybotCookiebotDialogBodyButtonDecline', 'Deny', function () { answer(none); });
    bannerButton(dialog, 'CybotCookiebotDialogBodyLevelButtonLevelOptinAllowallSelection', 'Allow selection', function () { answer(none); });
    bannerButton(dialog, 'CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll', 'Allow all', function () { answer({ preferences: true, statistics: true, marketing: true }); });
    document.body.appendChild(dialog);
    fire('CookiebotOnDialogDisplay');
  }
  function hideBanner() {
    var dialog = document.getElementById('CybotCookiebotDialog');
    if (dialog) dialog.remove();
  }
  function start() {
    fire('CookiebotOnLoad');
    if (!answered) return showBanner();
    runScripts();
    fire(consent.marketing ? 'CookiebotOnAccept' : 'CookiebotOnDecline');
    fire('CookiebotOnConsentReady');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
