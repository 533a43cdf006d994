// @ts-check
// Stand-in for Trackdesk's tracking.js (TRACKING_SCRIPT_URL in protocol.ts), served to the page by the
// mocked Trackdesk after tracking-arguments.js and tracking-queue.js, in one script, with its protocol
// filled in. It honours the guide's queue stub in any load order (tracking-queue.js). The guide's two
// snippets load this script twice on a tickets page; the second load must change nothing.
(function () {
  'use strict';
  /** @typedef {import('./protocol.ts').CidCookie} CidCookie */
  /** @typedef {Record<string, string>} SentArguments */
  /** @typedef {{ ok: boolean, body: { cid?: string, expiredAt?: string, reasons?: string[] } }} Answer */
  /** @typedef {(tenantId: unknown, params: Record<string, unknown>, callback: unknown, sent: SentArguments) => void} Command */
  var w = window;
  if (w.__trackdeskStandIn) {
    w.__trackdeskStandIn.runs += 1;
    w.__trackdeskStandIn.adoptQueues();
    return;
  }

  var protocol = __TRACKDESK_PROTOCOL__;
  // Given to this copy as the browser loaded it, one per endpoint: what tells the mocked Trackdesk a call
  // to that endpoint came from here. Only read by name, never handed whole to anything the page can replace.
  var SCRIPT_KEYS = __TRACKDESK_SCRIPT_KEYS__;
  // Served before this file, in the same script.
  var args = /** @type {NonNullable<Window['__trackdeskArguments']>} */ (w.__trackdeskArguments);
  var queues = /** @type {NonNullable<Window['__trackdeskQueues']>} */ (w.__trackdeskQueues);
  var COOKIE = protocol.cookie;
  var LINK = protocol.linkParams;
  var HOST_LABEL = new RegExp(protocol.hostLabel);
  /** @type {Set<Promise<Answer>>} */
  var pending = new Set();

  // A tenant that cannot be a host name (undefined from a missing env var, "{{ tenant }}" from a
  // template) still reaches the mocked Trackdesk, so the collector can name it.
  /** @param {unknown} tenantId */
  function hostFor(tenantId) {
    if (typeof tenantId !== 'string' || tenantId === '') return protocol.noTenantHost;
    var label = tenantId.toLowerCase();
    return HOST_LABEL.test(label) ? label + '.' + protocol.domain : protocol.invalidTenantHost;
  }

  /**
   * @param {unknown} tenantId
   * @param {keyof typeof protocol.paths} endpoint
   * @param {object} body
   * @param {SentArguments} sent
   * @returns {Promise<Answer>}
   */
  function send(tenantId, endpoint, body, sent) {
    var path = protocol.paths[endpoint];
    var call = fetch('https://' + hostFor(tenantId) + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({}, body, { sent: sent, scriptKey: SCRIPT_KEYS ? SCRIPT_KEYS[endpoint] : null })),
    })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) console.warn('[trackdesk] ' + path + ' rejected:', (json.reasons || []).join('; '));
          return { ok: response.ok, body: json };
        });
      })
      .catch(function (error) {
        console.warn('[trackdesk] ' + path + ' failed:', error);
        return { ok: false, body: {} };
      });
    pending.add(call);
    call.finally(function () {
      pending.delete(call);
    });
    return call;
  }

  /** @returns {CidCookie | null} */
  function readCookie() {
    var entry = document.cookie.split('; ').find(function (c) {
      return c.indexOf(COOKIE + '=') === 0;
    });
    if (!entry) return null;
    try {
      return JSON.parse(decodeURIComponent(entry.slice(COOKIE.length + 1)));
    } catch {
      return null;
    }
  }

  /**
   * @param {unknown} tenantId
   * @param {string} cid
   * @param {string} expiredAt
   */
  function writeCookie(tenantId, cid, expiredAt) {
    var value = JSON.stringify({ tenantId: tenantId, cid: cid });
    document.cookie = COOKIE + '=' + value + '; expires=' + new Date(expiredAt).toUTCString() + '; path=/; SameSite=Lax; Secure';
  }

  /** @type {Record<string, Command>} */
  var commands = {
    click: function (tenantId, params, callback, sent) {
      var query = new URLSearchParams(location.search);
      var cid = query.get(LINK.cid);
      var linkId = query.get(LINK.linkId);
      var sourceId = query.get(LINK.sourceId);
      if (!cid && !linkId && !sourceId) return; // not an affiliate visit: nothing to track
      var existing = readCookie();
      send(tenantId, 'click', {
        tenantId: tenantId,
        landingUrl: location.href,
        linkId: linkId,
        sourceId: sourceId,
        linkTenantId: query.get(LINK.tenantId),
        cid: cid,
        previousCid: existing && existing.tenantId === tenantId ? existing.cid : null,
      }, sent).then(function (result) {
        if (!result.ok) return;
        var answer = /** @type {import('./protocol.ts').ClickAnswer & { expiredAt: string }} */ (result.body);
        writeCookie(tenantId, answer.cid, answer.expiredAt);
        if (typeof callback === 'function') callback({ cid: answer.cid, expiredAt: answer.expiredAt });
      });
    },
    conversion: function (tenantId, params, callback, sent) {
      var cookie = readCookie();
      var query = new URLSearchParams(location.search);
      var custom = /** @type {Record<string, unknown>} */ (params.customParams || {});
      /** @type {Record<string, string>} */
      var customParams = {};
      Object.keys(custom).forEach(function (key) {
        var value = custom[key];
        var queryParam = value && typeof value === 'object' ? /** @type {{ queryParam?: unknown }} */ (value).queryParam : undefined;
        customParams[key] = queryParam ? query.get(String(queryParam)) || '' : String(value);
      });
      send(tenantId, 'conversion', {
        tenantId: tenantId,
        revenueOriginId: params.revenueOriginId,
        conversionType: params.conversionType,
        amount: params.amount,
        externalId: params.externalId,
        customerId: params.customerId,
        status: params.status,
        couponCodes: params.couponCodes,
        customParams: customParams,
        cid: cookie ? cookie.cid : null,
        cookieTenantId: cookie ? cookie.tenantId : null,
      }, sent);
    },
    externalCid: function (tenantId, params, callback, sent) {
      var cookie = readCookie();
      send(tenantId, 'externalCid', {
        tenantId: tenantId,
        externalCid: params.externalCid,
        revenueOriginId: params.revenueOriginId,
        cid: cookie ? cookie.cid : null,
        cookieTenantId: cookie ? cookie.tenantId : null,
      }, sent);
    },
  };

  // Every command the page called, in order: lets a check tell "no click was ever asked for" from "not yet".
  /** @type {string[]} */
  var called = [];

  /**
   * trackdesk(TENANT_ID, COMMAND, PARAMS?, CALLBACK?)
   * @param {unknown} [tenantId]
   * @param {unknown} [command]
   * @param {unknown} [params]
   * @param {unknown} [callback]
   */
  function trackdesk(tenantId, command, params, callback) {
    var name = '' + command;
    called.push(name);
    if (typeof params === 'function') {
      callback = params;
      params = undefined;
    }
    var sent = args.describeCall(tenantId, params);
    // Known commands by name, the table never handed to anything the page can replace (a page that
    // replaced Function.prototype.call got it from hasOwnProperty.call, and added a command that ran click).
    var run = name === 'click' ? commands.click : name === 'conversion' ? commands.conversion : name === 'externalCid' ? commands.externalCid : null;
    if (!run) {
      // The real script ignores unknown commands silently; reporting them lets the gate name the typo.
      sent.command = args.describe(command, 0);
      send(tenantId, 'unknownCommand', { tenantId: tenantId, command: command }, sent);
      return;
    }
    run(tenantId, /** @type {Record<string, unknown>} */ (params || {}), callback, sent);
  }

  var adoptQueues = queues(trackdesk);
  w.__trackdeskStandIn = {
    runs: 1,
    called: called,
    adoptQueues: adoptQueues,
    /**
     * Resolves once every tracking call this page started has been answered (and so recorded).
     * @returns {Promise<void>}
     */
    settled: function settled() {
      if (pending.size === 0) return Promise.resolve();
      return Promise.allSettled(Array.from(pending)).then(settled);
    },
  };
  adoptQueues();
})();
