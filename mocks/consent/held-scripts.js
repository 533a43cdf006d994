// @ts-check
/* exported runHeldScripts, bannerButton */
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
