// @ts-check
// Part of the tracking.js stand-in, served before tracking.js in the same script: the guide's queue
// stub, in any load order. TrackdeskObject lists the global names, each name's stub queues calls in
// `.q`, and once loaded the real function is `TrackdeskObject.f`. tracking.js may run before the stub
// (a blocking, deferred or module script; a stub that a framework turned into a module), after it, or
// seconds later.
(function () {
  'use strict';
  /** @typedef {import('./protocol.ts').TrackdeskFunction} TrackdeskFunction */


  /**
   * Makes `trackdesk` the function behind every name the page's stubs define, and runs their queues.
   * @param {TrackdeskFunction} trackdesk the real function
   * @returns {() => void} adoptQueues, which a second copy of tracking.js runs again
   */
  function queues(trackdesk) {
    /** @param {ArrayLike<unknown>[]} queue each entry a call's `arguments` */
    function runAll(queue) {
      queue.forEach(function (args) {
        trackdesk.apply(null, /** @type {unknown[]} */ (args));
      });
    }

    // A queue whose calls run at once: given to a queueing function assigned after load, since every
    // queue stub pushes its calls onto its own `.q` (`t[d].q`, `trackdesk.q`).
    function liveQueue() {
      /** @type {ArrayLike<unknown>[]} */
      var queue = [];
      queue.push = function () {
        runAll(Array.prototype.slice.call(arguments));
        return 0;
      };
      return queue;
    }

    /** @param {unknown} value */
    function makeLive(value) {
      if (typeof value !== 'function' || value === trackdesk) return;
      var fn = /** @type {TrackdeskFunction} */ (value);
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
    /** @type {Record<string, boolean>} */
    var watched = {};

    /** @param {string} name */
    function watch(name) {
      var current = Reflect.get(window, name);
      watched[name] = true;
      try {
        Object.defineProperty(window, name, {
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
      } catch {
        // A `var` or function declaration of the name cannot be redefined; it keeps plain assignment.
      }
    }

    // A name's stub from before this script ran: its queued calls run in order, then the name is the
    // real function. A name already watched needs nothing: its setter has handled every assignment.
    /**
     * @param {string} name
     * @param {boolean} listed whether the stub listed it in TrackdeskObject
     */
    function adopt(name, listed) {
      if (watched[name]) return;
      var stub = /** @type {TrackdeskFunction | undefined} */ (Reflect.get(window, name));
      /** @type {ArrayLike<unknown>[]} */
      var queue = [];
      if (listed || typeof stub === 'function') {
        queue = stub && stub !== trackdesk && Array.isArray(stub.q) ? stub.q.splice(0) : [];
        Object.assign(window, { [name]: trackdesk }); // window[name] = trackdesk, by a name only known at run time
      }
      watch(name);
      runAll(queue);
    }

    return function adoptQueues() {
      // Loaded before any stub: the stub's `t[k].f` fallback must find the real function.
      var names = (window.TrackdeskObject = window.TrackdeskObject || []);
      names.f = trackdesk;
      names.forEach(function (name) {
        adopt(name, true);
      });
      adopt('trackdesk', false);
    };
  }

  window.__trackdeskQueues = queues;
})();
