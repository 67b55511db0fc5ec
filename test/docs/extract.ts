/**
 * Finds the code examples of the TSDoc: every ```ts fenced block inside an
 * `@example` tag of a `/** … *\/` comment in `src/**\/*.ts`.
 *
 * Comments are found with the TypeScript parser (so a `/**` inside a string,
 * a template or a regular expression is not mistaken for one); inside a
 * comment, an `@example` section runs from the tag to the next block tag
 * (`@param`, `@returns`, `@module`, …) that is not inside a fence. An
 * `@example` without a ```ts block, an unclosed fence or an unknown mark is
 * reported as a problem, so that no example silently escapes the tests.
 *
 * A fence's info string may carry one mark after `ts`:
 * - ```` ```ts no-run: <reason> ```` — the example is type-checked but not run
 *   (it needs a worker thread's `parentPort`, a user's files, …). The reason
 *   is required.
 * - ```` ```ts slow ```` — the example takes seconds (long sampling runs): it
 *   is type-checked in the default test tier and run in the slow tier.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** One example: where it is and its code. */
export interface DocExample {
  /** Path of the source file, relative to the repository root, with `/`. */
  readonly file: string;
  /** 1-based line of the example's first code line in the source file. */
  readonly line: number;
  /** The code, with the comment's ` * ` prefixes removed. */
  readonly code: string;
  /** Why the example is not run, if it is marked ```ts no-run: reason. */
  readonly noRun?: string;
  /** Whether it is marked ```ts slow (run in the slow test tier). */
  readonly slow?: boolean;
  /** `file:line`, the example's name in test reports. */
  readonly id: string;
}

/** All `.ts` files under `dir`, sorted, as absolute paths. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/**
 * The `/** … *\/` comments of a TypeScript source, with their start offsets:
 * the comment trivia before every token of the parsed file (so a `/**` inside a
 * string, a template or a regular expression is not mistaken for a comment).
 */
function docComments(path: string, text: string): { start: number; text: string }[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const seen = new Map<number, string>();
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return; // inside a comment
    const children = node.getChildren(source);
    if (children.length === 0 || node.kind === ts.SyntaxKind.EndOfFileToken) {
      for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
        const comment = text.slice(range.pos, range.end);
        if (range.kind === ts.SyntaxKind.MultiLineCommentTrivia && comment.startsWith("/**") && comment !== "/**/")
          seen.set(range.pos, comment);
      }
    }
    for (const child of children) visit(child);
  };
  visit(source);
  return [...seen].sort(([a], [b]) => a - b).map(([start, comment]) => ({ start, text: comment }));
}

const FENCE_OPEN = /^```(\S*)(?:\s+(.*))?$/;
const BLOCK_TAG = /^@[A-Za-z]+/;

/** The examples of a set of files, and what is wrong with their markup. */
export interface FoundExamples {
  readonly examples: DocExample[];
  /**
   * `file:line: message` for an `@example` tag with no ```ts block, an
   * unclosed fence, or an unknown mark: examples the tests would otherwise miss.
   */
  readonly problems: string[];
}

/** The examples of one source file. `file` is the path shown in reports. */
export function examplesOf(file: string, text: string): FoundExamples {
  const examples: DocExample[] = [];
  const problems: string[] = [];
  for (const comment of docComments(file, text)) {
    const firstLine = lineOf(text, comment.start);
    // Strip `/**`, `*/` and the leading ` * ` of each line; lines[i] is source line firstLine + i.
    const lines = comment.text
      .replace(/^\/\*\*/, "")
      .replace(/\*\/$/, "")
      .split("\n")
      .map((l) => l.replace(/^\s*\* ?/, "").replace(/\s+$/, ""));
    let tag: { line: number; blocks: number } | undefined; // the open @example section
    const endTag = () => {
      if (tag && tag.blocks === 0) problems.push(`${file}:${tag.line}: @example without a \`\`\`ts code block`);
      tag = undefined;
    };
    let fence: { info: string; rest: string; body: string[]; line: number } | undefined;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      const line = raw.trimStart();
      if (fence) {
        if (line.startsWith("```")) {
          if (fence.info === "ts" && tag) {
            const made = makeExample(file, fence.line, fence.body, fence.rest);
            if (typeof made === "string") problems.push(made);
            else examples.push(made);
            tag.blocks++;
          }
          fence = undefined;
        } else fence.body.push(raw);
        continue;
      }
      const open = FENCE_OPEN.exec(line);
      if (open) {
        fence = { info: open[1]!, rest: open[2] ?? "", body: [], line: firstLine + i + 1 };
        continue;
      }
      const block = BLOCK_TAG.exec(line);
      if (block) {
        endTag();
        if (block[0] === "@example") tag = { line: firstLine + i, blocks: 0 };
      }
    }
    if (fence) problems.push(`${file}:${fence.line - 1}: unclosed code fence in a doc comment`);
    endTag();
  }
  return { examples, problems };
}

/** An example, or the problem with its mark. */
function makeExample(file: string, line: number, body: string[], rest: string): DocExample | string {
  const code = dedent(body).join("\n") + "\n";
  const id = `${file}:${line}`;
  if (rest === "") return { file, line, code, id };
  if (rest === "slow") return { file, line, code, slow: true, id };
  const noRun = /^no-run:\s*(\S.*)$/.exec(rest);
  if (!noRun) return `${file}:${line - 1}: unknown mark after \`\`\`ts: "${rest}" (the marks are "slow" and "no-run: <reason>")`;
  return { file, line, code, noRun: noRun[1]!, id };
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(cut));
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The examples of every `.ts` file under `srcDir`, paths relative to `root`. */
export function findExamples(root: string, srcDir: string): FoundExamples {
  const examples: DocExample[] = [];
  const problems: string[] = [];
  for (const path of tsFiles(srcDir)) {
    const found = examplesOf(relative(root, path).split("\\").join("/"), readFileSync(path, "utf8"));
    examples.push(...found.examples);
    problems.push(...found.problems);
  }
  return { examples, problems };
}
