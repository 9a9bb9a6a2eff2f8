/**
 * What counts as a clear rejection, in code. A message is clear when it was written for a user:
 * of sensible length and free of the phrases that JavaScript's own errors (TypeError,
 * RangeError, SyntaxError from deep inside a parser) or careless formatting put in a message.
 * Each kind adds its own condition: the bundle reader's rejection is a BundleError, the share
 * codec's a {ok: false} result of a known kind other than "unexpected".
 */
const INTERNAL_PHRASES =
  /is not a function|is not iterable|Cannot read propert|Cannot set propert|Cannot convert|Cannot create a string|Invalid string length|undefined|\bNaN\b|\[object |Invalid array length|Invalid typed array length|Array buffer allocation|Maximum call stack|out of memory|Unexpected token|Unexpected end of JSON|in JSON at position/;

export function isClearMessage(message: unknown): boolean {
  return (
    typeof message === "string" && message.length >= 10 && message.length <= 600 && !INTERNAL_PHRASES.test(message)
  );
}
