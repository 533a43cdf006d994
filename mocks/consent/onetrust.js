// @ts-check
/* global runHeldScripts, newBanner, bannerButton */
// The stand-in for OneTrust's otSDKStub.js (cdn.cookielaw.org): a banner with OneTrust's own controls,
// consent kept in its OptanonConsent and OptanonAlertBoxClosed cookies, window.OnetrustActiveGroups,
// OptanonWrapper() called as the SDK calls it, and on consent the page's held scripts
// (type="text/plain" class="optanon-category-C0004") run, as OneTrust runs them.
(function () {
  'use strict';
  /** @typedef {import('../browser-globals.d.ts').OneTrustApi} OneTrustApi */
  if (window.OneTrust && window.OneTrust.__gateStandIn) return;
  var ALL = ['C0001', 'C0002', 'C0003', 'C0004', 'C0005'];
  var stored = document.cookie.split('; ').filter(function (c) { return c.indexOf('OptanonConsent=') === 0; })[0] || '';
  var groups = /groups=([^&;]*)/.exec(stored);
  var active = groups
    ? decodeURIComponent(groups[1] || '').split(',').filter(function (g) { return /:1$/.test(g); }).map(function (g) { return g.slice(0, -2); })
    : ['C0001'];
  var answered = document.cookie.indexOf('OptanonAlertBoxClosed=') !== -1;
  /** @type {((event: { detail: string[] }) => void)[]} */
  var listeners = [];
  function publish() {
    window.OnetrustActiveGroups = window.OptanonActiveGroups = ',' + active.join(',') + ',';
  }
  publish();
  /** @type {OneTrustApi} */
  var oneTrust = {
    __gateStandIn: true,
    AllowAll: function () { answer(ALL); },
    RejectAll: function () { answer(['C0001']); },
    IsAlertBoxClosed: function () { return answered; },
    ToggleInfoDisplay: showBanner,
    OnConsentChanged: function (callback) { listeners.push(callback); },
    GetDomainData: function () { return { Groups: ALL.map(function (g) { return { CustomGroupId: g }; }) }; },
  };
  window.OneTrust = window.Optanon = oneTrust;

  /** @param {HTMLScriptElement} script */
  function allowed(script) {
    var classes = (script.getAttribute('class') || '').split(/\s+/).filter(function (c) { return c.indexOf('optanon-category-') === 0; });
    return classes.length > 0 && classes.every(function (c) {
      return c.slice('optanon-category-'.length).split('-').every(function (g) { return active.indexOf(g) !== -1; });
    });
  }
  function runScripts() {
    runHeldScripts('script[type="text/plain"][class*="optanon-category-"]', allowed);
  }
  function wrapper() {
    if (typeof window.OptanonWrapper === 'function') window.OptanonWrapper();
  }
  /** @param {string[]} given the groups the visitor consented to */
  function answer(given) {
    active = given.slice();
    publish();
    answered = true;
    var value = ALL.map(function (g) { return g + ':' + (active.indexOf(g) !== -1 ? 1 : 0); }).join(',');
    document.cookie = 'OptanonConsent=isGpcEnabled=0&consentId=gate&interactionCount=1&groups=' + encodeURIComponent(value) + '; max-age=31536000; path=/; SameSite=Lax';
    document.cookie = 'OptanonAlertBoxClosed=' + new Date().toISOString() + '; max-age=31536000; path=/; SameSite=Lax';
    hideBanner();
    runScripts();
    wrapper();
    window.dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: active.slice() }));
    listeners.forEach(function (callback) { callback({ detail: active.slice() }); });
  }
  function showBanner() {
    var banner = newBanner('onetrust-banner-sdk', { role: 'region', 'aria-label': 'Cookie banner' }, 'We use cookies. ');
    if (!banner) return;
    bannerButton(banner, 'onetrust-pc-btn-handler', 'Cookie settings', null);
    bannerButton(banner, 'onetrust-reject-all-handler', 'Reject all', function () { answer(['C0001']); });
    bannerButton(banner, 'onetrust-accept-btn-handler', 'Accept all cookies', function () { answer(ALL); });
    document.body.appendChild(banner);
  }
  function hideBanner() {
    var banner = document.getElementById('onetrust-banner-sdk');
    if (banner) banner.remove();
  }
  function start() {
    runScripts();
    wrapper();
    if (!answered) showBanner();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
