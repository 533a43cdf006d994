// Stand-in for //cdn.trackdesk.com/tracking.js, served to the page by the mocked Trackdesk.
// It honours the guide's queue stub: TrackdeskObject lists the global names, each name's stub queues
// calls in `.q`, and once loaded the real function is `TrackdeskObject.f`. The guide's two snippets
// load this script twice on a tickets page; the second load must change nothing.
(function () {
  'use strict';
  var w = window;
  if (w.__trackdeskStandIn) {
    w.__trackdeskStandIn.runs += 1;
    w.__trackdeskStandIn.adoptQueues();
    return;
  }

  var COOKIE = 'trakdesk_cid';
  var pending = new Set();

  function send(tenantId, path, body) {
    var host = String(tenantId || 'no-tenant').toLowerCase() + '.trackdesk.com';
    var call = fetch('https://' + host + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
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

  function readCookie() {
    var entry = document.cookie.split('; ').find(function (c) {
      return c.indexOf(COOKIE + '=') === 0;
    });
    if (!entry) return null;
    try {
      return JSON.parse(decodeURIComponent(entry.slice(COOKIE.length + 1)));
    } catch (e) {
      return null;
    }
  }

  function writeCookie(tenantId, cid, expiredAt) {
    var value = JSON.stringify({ tenantId: tenantId, cid: cid });
    document.cookie = COOKIE + '=' + value + '; expires=' + new Date(expiredAt).toUTCString() + '; path=/; SameSite=Lax; Secure';
  }

  var commands = {
    click: function (tenantId, params, callback) {
      var query = new URLSearchParams(location.search);
      var cid = query.get('cid');
      var linkId = query.get('linkId');
      var sourceId = query.get('sourceId');
      if (!cid && !linkId && !sourceId) return; // not an affiliate visit: nothing to track
      var existing = readCookie();
      send(tenantId, '/tracking/click/v1', {
        tenantId: tenantId,
        landingUrl: location.href,
        linkId: linkId,
        sourceId: sourceId,
        linkTenantId: query.get('tenantId'),
        cid: cid,
        previousCid: existing && existing.tenantId === tenantId ? existing.cid : null,
      }).then(function (result) {
        if (!result.ok) return;
        writeCookie(tenantId, result.body.cid, result.body.expiredAt);
        if (typeof callback === 'function') callback({ cid: result.body.cid, expiredAt: result.body.expiredAt });
      });
    },
    conversion: function (tenantId, params) {
      var cookie = readCookie();
      var query = new URLSearchParams(location.search);
      var customParams = {};
      Object.keys(params.customParams || {}).forEach(function (key) {
        var value = params.customParams[key];
        customParams[key] = value && typeof value === 'object' && value.queryParam ? query.get(value.queryParam) || '' : String(value);
      });
      send(tenantId, '/tracking/conversion/v1', {
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
      });
    },
    externalCid: function (tenantId, params) {
      var cookie = readCookie();
      send(tenantId, '/tracking/external-cid/v1', {
        tenantId: tenantId,
        externalCid: params.externalCid,
        revenueOriginId: params.revenueOriginId,
        cid: cookie ? cookie.cid : null,
        cookieTenantId: cookie ? cookie.tenantId : null,
      });
    },
  };

  function trackdesk(tenantId, command, params, callback) {
    if (typeof params === 'function') {
      callback = params;
      params = undefined;
    }
    var run = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : null;
    if (!run) {
      // The real script ignores unknown commands silently; reporting them lets the gate name the typo.
      send(tenantId, '/tracking/unknown-command', { tenantId: tenantId, command: command });
      return;
    }
    run(tenantId, params || {}, callback);
  }

  function adoptQueues() {
    var names = w.TrackdeskObject || [];
    names.f = trackdesk;
    names.forEach(function (name) {
      var stub = w[name];
      var queue = stub && stub !== trackdesk && stub.q ? stub.q.splice(0) : [];
      w[name] = trackdesk;
      queue.forEach(function (args) {
        trackdesk.apply(null, args);
      });
    });
  }

  w.__trackdeskStandIn = {
    runs: 1,
    adoptQueues: adoptQueues,
    // Resolves once every tracking call this page started has been answered (and so recorded).
    settled: function settled() {
      if (pending.size === 0) return Promise.resolve();
      return Promise.allSettled(Array.from(pending)).then(settled);
    },
  };
  adoptQueues();
})();
