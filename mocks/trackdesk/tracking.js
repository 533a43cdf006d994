// Stand-in for //cdn.trackdesk.com/tracking.js, served to the page by the mocked Trackdesk.
// It honours the guide's queue stub: TrackdeskObject lists the global names, each name's stub queues
// calls in `.q`, and once loaded the real function is `TrackdeskObject.f`. It works in any load order:
// before the stub (a blocking, deferred or module script; a stub that a framework turned into a
// module), after it, or seconds later. The guide's two snippets load this script twice on a tickets
// page; the second load must change nothing.
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

  // A tenant that cannot be a host name (undefined from a missing env var, "{{ tenant }}" from a
  // template) still reaches the mocked Trackdesk, so the collector can name it.
  function hostFor(tenantId) {
    if (typeof tenantId !== 'string' || tenantId === '') return 'no-tenant.trackdesk.com';
    var label = tenantId.toLowerCase();
    return (/^[a-z0-9_-]+$/.test(label) ? label : 'invalid-tenant') + '.trackdesk.com';
  }

  // How the page wrote a value, types kept. JSON drops undefined and cannot tell it from a field the
  // page left out, and the string "undefined" (from "" + undefined) must not read like undefined.
  function describe(value, depth) {
    if (value === undefined) return 'undefined';
    if (typeof value === 'string') return JSON.stringify(value.length > 200 ? value.slice(0, 200) + '…' : value);
    if (typeof value === 'bigint') return value + 'n';
    if (typeof value === 'function') return 'a function';
    if (value === null || typeof value !== 'object') return String(value);
    if (depth >= 3) return Array.isArray(value) ? '[…]' : '{…}';
    try {
      if (Array.isArray(value)) return '[' + value.map(function (item) { return describe(item, depth + 1); }).join(', ') + ']';
      var fields = Object.keys(value).map(function (key) {
        return (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)) + ': ' + describe(value[key], depth + 1);
      });
      return fields.length ? '{ ' + fields.join(', ') + ' }' : '{}';
    } catch (e) {
      return 'an unreadable ' + (Array.isArray(value) ? 'array' : 'object');
    }
  }

  // Each argument of one call as the page passed it: the tenant, and each parameter by name (a
  // parameter the page left out is absent).
  function describeCall(tenantId, params) {
    var sent = {};
    if (params && typeof params === 'object') {
      Object.keys(params).forEach(function (key) {
        sent[key] = describe(params[key], 0);
      });
    } else if (params !== undefined) {
      sent.params = describe(params, 0);
    }
    sent.tenantId = describe(tenantId, 0);
    return sent;
  }

  function send(tenantId, path, body, sent) {
    var call = fetch('https://' + hostFor(tenantId) + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({}, body, { sent: sent })),
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
    click: function (tenantId, params, callback, sent) {
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
      }, sent).then(function (result) {
        if (!result.ok) return;
        writeCookie(tenantId, result.body.cid, result.body.expiredAt);
        if (typeof callback === 'function') callback({ cid: result.body.cid, expiredAt: result.body.expiredAt });
      });
    },
    conversion: function (tenantId, params, callback, sent) {
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
      }, sent);
    },
    externalCid: function (tenantId, params, callback, sent) {
      var cookie = readCookie();
      send(tenantId, '/tracking/external-cid/v1', {
        tenantId: tenantId,
        externalCid: params.externalCid,
        revenueOriginId: params.revenueOriginId,
        cid: cookie ? cookie.cid : null,
        cookieTenantId: cookie ? cookie.tenantId : null,
      }, sent);
    },
  };

  // Every command the page called, in order: lets a check tell "no click was ever asked for" from "not yet".
  var called = [];

  function trackdesk(tenantId, command, params, callback) {
    called.push(String(command));
    if (typeof params === 'function') {
      callback = params;
      params = undefined;
    }
    var sent = describeCall(tenantId, params);
    var run = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : null;
    if (!run) {
      // The real script ignores unknown commands silently; reporting them lets the gate name the typo.
      sent.command = describe(command, 0);
      send(tenantId, '/tracking/unknown-command', { tenantId: tenantId, command: command }, sent);
      return;
    }
    run(tenantId, params || {}, callback, sent);
  }

  function runAll(queue) {
    queue.forEach(function (args) {
      trackdesk.apply(null, args);
    });
  }

  // A queue whose calls run at once: given to a queueing function assigned after load, since every
  // queue stub pushes its calls onto its own `.q` (`t[d].q`, `trackdesk.q`).
  function liveQueue() {
    var queue = [];
    queue.push = function () {
      runAll(Array.prototype.slice.call(arguments));
      return 0;
    };
    return queue;
  }

  function makeLive(fn) {
    if (typeof fn !== 'function' || fn === trackdesk) return;
    var queued = Array.isArray(fn.q) ? fn.q.splice(0) : [];
    fn.q = liveQueue();
    runAll(queued);
  }

  // After load, a stub that finds no TrackdeskObject.f (or a stub of another shape, such as Tito's
  // `window.x = window.x || function () { (x.q = x.q || []).push(arguments) }`) assigns a queueing
  // function that nothing would ever drain. A setter on the global name sees that assignment the
  // moment it happens, before any call, so no call waits and none depends on timing (a microtask or
  // timer drain would miss calls made later from an event handler). The assigned function is kept,
  // not swapped for the real one, because it may be a page's own wrapper; its queue runs calls at once.
  var watched = {};

  function watch(name) {
    var current = w[name];
    watched[name] = true;
    try {
      Object.defineProperty(w, name, {
        configurable: true,
        enumerable: true,
        get: function () {
          return current;
        },
        set: function (value) {
          current = value;
          makeLive(value);
        },
      });
    } catch (e) {
      // A `var` or function declaration of the name cannot be redefined; it keeps plain assignment.
    }
  }

  // A name's stub from before this script ran: its queued calls run in order, then the name is the
  // real function. A name already watched needs nothing: its setter has handled every assignment.
  function adopt(name, listed) {
    if (watched[name]) return;
    var stub = w[name];
    var queue = [];
    if (listed || typeof stub === 'function') {
      queue = stub && stub !== trackdesk && Array.isArray(stub.q) ? stub.q.splice(0) : [];
      w[name] = trackdesk;
    }
    watch(name);
    runAll(queue);
  }

  function adoptQueues() {
    // Loaded before any stub: the stub's `t[k].f` fallback must find the real function.
    var names = (w.TrackdeskObject = w.TrackdeskObject || []);
    names.f = trackdesk;
    names.forEach(function (name) {
      adopt(name, true);
    });
    adopt('trackdesk', false);
  }

  w.__trackdeskStandIn = {
    runs: 1,
    called: called,
    adoptQueues: adoptQueues,
    // Resolves once every tracking call this page started has been answered (and so recorded).
    settled: function settled() {
      if (pending.size === 0) return Promise.resolve();
      return Promise.allSettled(Array.from(pending)).then(settled);
    },
  };
  adoptQueues();
})();
