// What a browser sends when a page's form is submitted as shown: for the
// tests that save a page unchanged and check that nothing changed.
import assert from 'node:assert/strict';

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag, name) => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]) : null;
};

// The fields of the form posting to action: inputs (not unchecked boxes or
// radios), the selected option of each select (else the first), textareas.
// A name given several times (checkboxes) gives every value, as an array.
export function formValues(html, action) {
  const at = html.indexOf(`action="${action}"`);
  assert.ok(at >= 0, `a form posting to ${action}`);
  const form = html.slice(at, html.indexOf('</form>', at));
  const out = {};
  const add = (k, v) => {
    if (!(k in out)) out[k] = v;
    else out[k] = [].concat(out[k], v);
  };
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') || 'text';
    if (!name || ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(tag))) continue;
    add(name, attr(tag, 'value') ?? '');
  }
  for (const [, open, body] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const options = [...body.matchAll(/<option\b[^>]*>/g)].map(([o]) => o);
    const chosen = options.find((o) => /\bselected\b/.test(o)) || options[0];
    add(attr(open, 'name'), chosen ? attr(chosen, 'value') : '');
  }
  for (const [, open, body] of form.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/g)) add(attr(open, 'name'), decode(body));
  return out;
}
