/**
 * Operation ids for the debate page's forms (issue 21): the loader gives each rendering of the page a
 * random `formKey`; each form's opId is a UUID derived from its name within that key, so the server's
 * HTML and the hydrated page agree on it without sending one id per form, and a form sent twice from
 * the same rendering (a double tap, the back button) carries the same opId and counts once. A new
 * rendering (after each post) gets a new key, hence new ids.
 *
 * The derivation only has to be deterministic and spread well: the key is random and unguessable,
 * and a client may send any opId anyway. It was UUID version 5 (SHA-1, the `uuid` package), which put
 * a SHA-1 implementation in the debate page's first-load script; it is now cyrb128, a 128-bit
 * non-cryptographic string hash by bryc (public domain, https://github.com/bryc/code/blob/master/jshash/PRNGs.md
 * "cyrb128"), laid out as an RFC 9562 version 8 ("custom") UUID.
 */

/** cyrb128 of `text`: four 32-bit words (bryc's reference code, typed). */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex8 = (n: number) => n.toString(16).padStart(8, "0");

/**
 * The opId of one form of one rendering: a version 8 UUID (lower-case, 8-4-4-4-12 hex digits).
 * @param formKey the loader's random UUID for this rendering
 * @param form the form's name, unique on the page ("vote:<propositionId>", "post:<propositionId>", …)
 */
export function formOpId(formKey: string, form: string): string {
  const [a, b, c, d] = cyrb128(`${formKey}\u0000${form}`);
  // Version nibble 8 (custom), variant bits 10 (RFC 9562).
  const h = hex8(a) + hex8(((b & 0xffff0fff) | 0x00008000) >>> 0) + hex8(((c & 0x3fffffff) | 0x80000000) >>> 0) + hex8(d);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
