// Stand-in for https://js.tito.io/v2, served by the mocked Tito. It runs the `tito` queue that pages
// fill before it loads, renders <tito-widget event="account/event"> with a ticket choice and a
// name/email form, completes the order through the mocked checkout and fires Tito's events.
(function () {
  'use strict';
  var w = window;
  if (w.__titoStandIn) return;
  w.__titoStandIn = true;

  var CHECKOUT = 'https://checkout.tito.io/';
  var handlers = {};

  function emit(name, data) {
    (handlers[name] || []).forEach(function (fn) {
      try {
        fn(data);
      } catch (error) {
        // Tito keeps going when a page's handler throws; the page's console shows the error.
        console.error(error);
      }
    });
  }

  function tito(command, arg) {
    if (typeof command === 'string' && command.indexOf('on:') === 0) {
      var name = command.slice(3);
      (handlers[name] = handlers[name] || []).push(arg);
      return;
    }
    if (command === 'widget.mount' && arg && arg.el) {
      var host = typeof arg.el === 'string' ? document.querySelector(arg.el) : arg.el;
      if (host) render(host, arg.event);
      return;
    }
    console.warn('[tito] unknown command', command);
  }

  function api(path, options) {
    return fetch(CHECKOUT + path, options).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || 'Tito checkout failed');
        return body;
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function render(host, eventPath) {
    host.textContent = '';
    api(eventPath + '/widget')
      .then(function (event) {
        emit('widget:loaded', event);
        showReleases(host, eventPath, event);
      })
      .catch(function (error) {
        host.appendChild(el('p', { class: 'tito-error', role: 'alert', text: error.message }));
      });
  }

  function showReleases(host, eventPath, event) {
    var rows = event.releases.map(function (release) {
      return el('label', { class: 'tito-release' }, [
        el('span', { class: 'tito-release-title', text: release.title + ' ' + event.currency_symbol + release.price }),
        el('input', { type: 'number', min: '0', max: '50', value: '0', name: release.slug, 'aria-label': 'Quantity of ' + release.title }),
      ]);
    });
    var form = el('form', { class: 'tito-releases', 'aria-label': event.title + ' tickets' }, rows.concat([el('button', { type: 'submit', text: 'Register' })]));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var lineItems = event.releases
        .map(function (release) {
          var quantity = Number(form.elements[release.slug].value);
          var total = (Number(release.price) * quantity).toFixed(2);
          return { release_slug: release.slug, price: release.price, title: release.title, quantity: quantity, total: total, currency: event.currency };
        })
        .filter(function (item) {
          return item.quantity > 0;
        });
      if (lineItems.length === 0) return;
      emit('registration:started', { slug: null, line_items: lineItems, event: { title: event.title }, currency: event.currency });
      showDetails(host, eventPath, event, lineItems);
    });
    host.replaceChildren(el('div', { class: 'tito-widget-form' }, [el('h2', { text: event.title }), form]));
  }

  function showDetails(host, eventPath, event, lineItems) {
    var form = el('form', { class: 'tito-details', 'aria-label': 'Your details' }, [
      el('label', {}, [el('span', { text: 'Name' }), el('input', { name: 'name', autocomplete: 'name' })]),
      el('label', {}, [el('span', { text: 'Email' }), el('input', { name: 'email', type: 'email', autocomplete: 'email' })]),
      el('button', { type: 'submit', text: 'Complete registration' }),
    ]);
    var status = el('p', { class: 'tito-error', role: 'alert' });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      status.textContent = '';
      api(eventPath + '/registrations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          line_items: lineItems.map(function (i) {
            return { release_slug: i.release_slug, quantity: i.quantity };
          }),
          name: form.elements.name.value,
          email: form.elements.email.value,
          source: location.href,
        }),
      })
        .then(function (registration) {
          emit('registration:finished', registration);
          host.replaceChildren(
            el('div', { class: 'tito-thanks', role: 'status' }, [
              el('p', { text: 'Thanks, ' + registration.name + '! Your registration ' + registration.reference + ' is complete.' }),
            ]),
          );
        })
        .catch(function (error) {
          status.textContent = error.message;
        });
    });
    host.replaceChildren(el('div', { class: 'tito-widget-form' }, [el('h2', { text: event.title }), form, status]));
  }

  var queued = (w.tito && w.tito.q) || [];
  w.tito = tito;
  queued.splice(0).forEach(function (args) {
    tito.apply(null, args);
  });

  customElements.define(
    'tito-widget',
    class extends HTMLElement {
      connectedCallback() {
        render(this, this.getAttribute('event'));
      }
    },
  );
})();
