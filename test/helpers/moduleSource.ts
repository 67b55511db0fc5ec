/**
 * One function of a generated density module's source, for tests that read
 * the generated code (the careful form's functions follow logpGrad, so a
 * test of the default form's code must not read to the next landmark).
 */

/** The text of `function name(…) { … }` in `source`, up to the next top-level function. */
export function functionSource(source: string, name: string): string {
  const start = source.indexOf(`\nfunction ${name}(`);
  if (start < 0) throw new Error(`no function ${name} in the generated source`);
  const end = source.indexOf("\nfunction ", start + 1);
  return source.slice(start + 1, end < 0 ? source.indexOf("\nreturn {", start) : end);
}
