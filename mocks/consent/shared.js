// @ts-check
/* exported runHeldScripts, newBanner, bannerButton */
// Shared by the consent managers' stand-ins, served in the same function as each (index.ts): the scripts
// a page holds for consent, run once it is given, and their banners' buttons.

/**
 * Runs each script `selector` finds that the visitor's consent covers, in its place, as it would have run.
 * @param {string} selector the held scripts (`type="text/plain"` and the manager's mark)
 * @param {(script: HTMLScriptElement) => boolean} isAllowed whether the consent given covers the script
 */
function runHeldScripts(selector, isAllowed) {
  /** @type {HTMLScriptElement[]} */
  var held = Array.prototype.slice.call(document.querySelectorAll(selector));
  held.forEach(function (old) {
    if (!isAllowed(old) || !old.parentNode) return;
    var script = document.createElement('script');
    Array.prototype.forEach.call(old.attributes, /** @param {Attr} attribute */ function (attribute) {
      if (attribute.name !== 'type') script.setAttribute(attribute.name, attribute.value);
    });
    // A script held as text runs now; one with a src loads in the order the page gave, as it would have.
    if (!old.src) script.text = old.text;
    else if (!old.hasAttribute('async')) script.async = false;
    old.parentNode.replaceChild(script, old);
  });
}

/**
 * Adds a button of the manager's own id and text to its banner.
 * @param {HTMLElement} banner
 * @param {string} id
 * @param {string} text
 * @param {(() => void) | null} onPress what the visitor's answer does; null: a button the stand-in does not answer
 */
function bannerButton(banner, id, text, onPress) {
  var button = document.createElement('button');
  button.type = 'button';
  button.id = id;
  button.textContent = text;
  if (onPress) button.onclick = onPress;
  banner.append(button, ' ');
}

/**
 * The manager's banner, fixed at the foot of the page, with its own id and role; null while one shows.
 * @param {string} id
 * @param {Record<string, string>} attributes its role, its label
 * @param {string} text what it says before its buttons
 * @returns {HTMLElement | null}
 */
function newBanner(id, attributes, text) {
  if (document.getElementById(id)) return null;
  var banner = document.createElement('div');
  banner.id = id;
  Object.keys(attributes).forEach(function (name) { banner.setAttribute(name, attributes[name] || ''); });
  banner.setAttribute('style', 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;background:#fff;padding:16px;border-top:1px solid #ccc');
  banner.append(text);
  return banner;
}
