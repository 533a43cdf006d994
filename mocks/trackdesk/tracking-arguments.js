// @ts-check
// Part of the tracking.js stand-in, served before tracking.js in the same script: how the page wrote
// each argument of a call, types kept. JSON drops undefined and cannot tell it from a field the page
// left out, and the string "undefined" (from "" + undefined) must not read like undefined.
(function () {
  'use strict';

  /**
   * `"acme"`, `undefined`, `{ value: 49 }`, `[null, "1"]`: a value as the page wrote it, three levels deep.
   * @param {unknown} value
   * @param {number} depth
   * @returns {string}
   */
  function describe(value, depth) {
    if (value === undefined) return 'undefined';
    if (typeof value === 'string') return JSON.stringify(value.length > 200 ? value.slice(0, 200) + '…' : value);
    if (typeof value === 'bigint') return value + 'n';
    if (typeof value === 'function') return 'a function';
    if (value === null || typeof value !== 'object') return String(value);
    if (depth >= 3) return Array.isArray(value) ? '[…]' : '{…}';
    try {
      if (Array.isArray(value)) return '[' + value.map(function (item) { return describe(item, depth + 1); }).join(', ') + ']';
      var object = /** @type {Record<string, unknown>} */ (value);
      var fields = Object.keys(object).map(function (key) {
        return (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)) + ': ' + describe(object[key], depth + 1);
      });
      return fields.length ? '{ ' + fields.join(', ') + ' }' : '{}';
    } catch {
      return 'an unreadable ' + (Array.isArray(value) ? 'array' : 'object');
    }
  }

  /**
   * Each argument of one call as the page passed it: the tenant, and each parameter by name (a
   * parameter the page left out is absent).
   * @param {unknown} tenantId
   * @param {unknown} params
   */
  function describeCall(tenantId, params) {
    /** @type {Record<string, string>} */
    var sent = {};
    if (params && typeof params === 'object') {
      var object = /** @type {Record<string, unknown>} */ (params);
      Object.keys(object).forEach(function (key) {
        sent[key] = describe(object[key], 0);
      });
    } else if (params !== undefined) {
      sent.params = describe(params, 0);
    }
    sent.tenantId = describe(tenantId, 0);
    return sent;
  }

  window.__trackdeskArguments = { describe: describe, describeCall: describeCall };
})();
