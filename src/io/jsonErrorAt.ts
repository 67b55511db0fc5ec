/**
 * Where JSON text stops being JSON. `JSON.parse` in Node 20 often names no
 * position ("Unexpected token '}', … is not valid JSON"), so once it has
 * failed this recognizer walks the text again to find the line and column
 * of the first error. It keeps its own stack, so deep nesting cannot
 * overflow the call stack.
 * @module
 */

/** The first syntax error of a JSON text: 1-based line and column, and what was expected. */
export interface JsonErrorAt {
  readonly line: number;
  readonly column: number;
  readonly what: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;
const SPACE = /[ \t\n\r]*/y;

/** The 1-based line and column of offset `at` in `text`. */
function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: at - start + 1 };
}

/** What is at offset `at`, for a message. */
function found(text: string, at: number): string {
  if (at >= text.length) return "the end of the file";
  return JSON.stringify(text.slice(at, at + 1));
}

/**
 * The first syntax error of `text`, or undefined when it is valid JSON.
 *
 * @example
 * ```ts
 * jsonErrorAt('{ "y": [1, 2,] }'); // { line: 1, column: 14, what: 'a value expected, found "]"' }
 * ```
 */
export function jsonErrorAt(text: string): JsonErrorAt | undefined {
  let at = 0;
  const skip = () => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const match = (re: RegExp): boolean => {
    re.lastIndex = at;
    if (!re.test(text)) return false;
    at = re.lastIndex;
    return true;
  };
  const fail = (expected: string): JsonErrorAt => ({
    ...lineColumn(text, at),
    // A string that does not match is one left open (a file cut short) or with a bad escape or control character.
    what: `${expected} expected, found ${text[at] === '"' ? "a string that is not closed or not valid" : found(text, at)}`,
  });
  // The open containers, innermost last.
  const stack: ("[" | "{")[] = [];
  for (;;) {
    // A value.
    skip();
    const c = text[at];
    if (c === "[" || c === "{") {
      stack.push(c);
      at++;
      skip();
      const close = c === "[" ? "]" : "}";
      if (text[at] === close) {
        stack.pop();
        at++;
      } else if (c === "{") {
        if (!match(STRING)) return fail("a property name in double quotes");
        skip();
        if (text[at] !== ":") return fail('":"');
        at++;
        continue;
      } else continue;
    } else if (!(match(STRING) || match(NUMBER) || match(LITERAL))) return fail("a value");
    // After a value: a comma and the next member, a closing bracket, or the end.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (top === undefined) return at < text.length ? fail("the end of the file") : undefined;
      const close = top === "[" ? "]" : "}";
      if (text[at] === close) {
        stack.pop();
        at++;
        continue;
      }
      if (text[at] !== ",") return fail(`"," or "${close}"`);
      at++;
      if (top === "{") {
        skip();
        if (!match(STRING)) return fail("a property name in double quotes");
        skip();
        if (text[at] !== ":") return fail('":"');
        at++;
      }
      break;
    }
  }
}
