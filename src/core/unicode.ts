// A lone surrogate has no UTF-8 form: written out it becomes U+FFFD, so two different strings
// would turn into the same label value. Written without `isWellFormed` to keep the ES2022 lib.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone UTF-16 surrogates with U+FFFD, as encoding to UTF-8 would. Pure. */
export function toWellFormed(text: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}
