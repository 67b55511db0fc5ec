/**
 * Type-checks and runs the TSDoc examples (see ./extract.ts for how they are
 * found), as NumPyro runs its doctests.
 *
 * Each example becomes a module placed (in memory only) beside the source
 * file it documents, so that its own relative imports mean what they would
 * there. In scope, unless the example declares or imports the name itself:
 * 1. the exports of the documented source file (as a doctest sees its
 *    module's names),
 * 2. the exports of the shared prelude (./prelude.ts: `eightSchools`, `data`, …),
 * 3. everything the package root ("sampo") exports.
 * An earlier source wins a name exported by several.
 *
 * The example's top-level declarations are exported from its module, so that
 * `noUnusedLocals` does not count the values an example shows as unused.
 *
 * Type-checking is one TypeScript program over all the examples, with the
 * compiler options of tsconfig.json; an error names the source file and
 * line. Running transpiles an example to JavaScript and calls it as an async
 * function of the names in scope (its `import`s become dynamic imports
 * through the test's module loader, so top-level `await` works), with the
 * working directory set to a fresh scratch directory (an example writing
 * "run.ndjson" writes it there) and console, stdout and stderr captured
 * (shown when it fails). An error names the source line of the example's
 * statement that threw, when the stack passes through it.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { inspect } from "node:util";
import ts from "typescript";
import type { DocExample } from "./extract.ts";

/** A name an example takes from its surroundings, and where from. */
interface ScopeName {
  readonly name: string;
  /** Absolute path of the module that exports it. */
  readonly module: string;
  /** False for a type-only export (imported with `type`, absent at run time). */
  readonly value: boolean;
}

/** An example turned into a module. */
export interface PreparedExample {
  readonly example: DocExample;
  /** Absolute path of the (in-memory) module, beside the documented file. */
  readonly path: string;
  /** The module's text: header of imports, the example, footer of exports. */
  readonly text: string;
  /** Lines before the example's first line in `text`. */
  readonly headerLines: number;
  /** The names taken from the surroundings. */
  readonly scope: readonly ScopeName[];
}

/** The harness's fixed inputs. */
export interface HarnessPaths {
  /** The repository root (holds tsconfig.json). */
  readonly root: string;
  /** The package root module ("sampo"). */
  readonly packageRoot: string;
  /** The shared prelude module. */
  readonly prelude: string;
}

/** The compiler options of `<root>/tsconfig.json`. */
export function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, "\n")).join("\n"));
  return parsed.options;
}

/** A compiler host that also serves the in-memory example modules. */
function hostWith(options: ts.CompilerOptions, files: ReadonlyMap<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const base = { fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host), getSourceFile: host.getSourceFile.bind(host) };
  host.fileExists = (f) => files.has(resolve(f)) || base.fileExists(f);
  host.readFile = (f) => files.get(resolve(f)) ?? base.readFile(f);
  host.getSourceFile = (f, languageVersion, onError, shouldCreate) => {
    const text = files.get(resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, languageVersion, true) : base.getSourceFile(f, languageVersion, onError, shouldCreate);
  };
  return host;
}

/** Whether an export is a value at run time (not a type, nor re-exported with `export type`). */
function isValueExport(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  let s = symbol;
  for (let i = 0; i < 50 && s.flags & ts.SymbolFlags.Alias; i++) {
    if ((s.declarations ?? []).some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return false;
    const next = checker.getImmediateAliasedSymbol(s);
    if (next === undefined) break;
    s = next;
  }
  return (s.flags & ts.SymbolFlags.Value) !== 0;
}

/** The exported names of each module, from one program over them. */
function exportsOf(modules: readonly string[], options: ts.CompilerOptions): { program: ts.Program; exports: Map<string, Map<string, boolean>> } {
  const program = ts.createProgram({ rootNames: [...modules], options, host: hostWith(options, new Map()) });
  const checker = program.getTypeChecker();
  const exports = new Map<string, Map<string, boolean>>();
  for (const path of modules) {
    const source = program.getSourceFile(path);
    const symbol = source && checker.getSymbolAtLocation(source);
    const names = new Map<string, boolean>();
    if (symbol) for (const e of checker.getExportsOfModule(symbol)) if (e.name !== "default") names.set(e.name, isValueExport(checker, e));
    exports.set(path, names);
  }
  return { program, exports };
}

/** The names an example declares at its top level (imports included), and the non-import ones split by kind. */
function topLevelNames(source: ts.SourceFile): { all: Set<string>; values: string[]; types: string[] } {
  const all = new Set<string>();
  const values: string[] = [];
  const types: string[] = [];
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) {
      all.add(name.text);
      values.push(name.text);
    } else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const st of source.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      all.add(st.name.text);
      values.push(st.name.text);
    } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) {
      all.add(st.name.text);
      types.push(st.name.text);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) all.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) all.add(c.namedBindings.name.text);
      else if (c.namedBindings) for (const el of c.namedBindings.elements) all.add(el.name.text);
    } else if (ts.isImportEqualsDeclaration(st)) all.add(st.name.text);
  }
  return { all, values: [...new Set(values)], types: [...new Set(types)] };
}

/** Every identifier in an example (a superset of the free names it uses). */
function identifiers(source: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) out.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** A module specifier for `to`, relative to the directory of `from`. */
function specifier(from: string, to: string): string {
  const rel = relative(dirname(from), to).split("\\").join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** Turns the examples into modules and type-checks them in one program. */
export class DocExamples {
  readonly prepared: readonly PreparedExample[];
  private readonly options: ts.CompilerOptions;
  private readonly baseProgram: ts.Program;

  constructor(
    readonly paths: HarnessPaths,
    examples: readonly DocExample[],
  ) {
    this.options = compilerOptions(paths.root);
    const hosts = [...new Set(examples.map((e) => resolve(paths.root, e.file)))];
    const { program, exports } = exportsOf([paths.packageRoot, paths.prelude, ...hosts], this.options);
    this.baseProgram = program;
    const clash = [...exports.get(paths.prelude)!.keys()].filter((n) => exports.get(paths.packageRoot)!.has(n));
    if (clash.length > 0) throw new Error(`the prelude exports names the package root also exports: ${clash.join(", ")}`);
    this.prepared = examples.map((example) => {
      const host = resolve(paths.root, example.file);
      // Unique: two examples never start on the same line of a file.
      const path = join(dirname(host), `__example__${basename(host, ".ts")}_${example.line}.ts`);
      const source = ts.createSourceFile(path, example.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const declared = topLevelNames(source);
      const wanted = [...identifiers(source)].filter((n) => !declared.all.has(n));
      const scope: ScopeName[] = [];
      for (const name of wanted) {
        for (const module of [host, paths.prelude, paths.packageRoot]) {
          const value = exports.get(module)!.get(name);
          if (value !== undefined) {
            scope.push({ name, module, value });
            break;
          }
        }
      }
      const header = [host, paths.prelude, paths.packageRoot]
        .map((module) => {
          const names = scope.filter((s) => s.module === module).map((s) => (s.value ? s.name : `type ${s.name}`));
          if (names.length === 0) return "";
          const from = module === paths.packageRoot ? "sampo" : specifier(path, module);
          return `import { ${names.join(", ")} } from ${JSON.stringify(from)};\n`;
        })
        .join("");
      const footer =
        (declared.values.length > 0 ? `export { ${declared.values.join(", ")} };\n` : "") +
        (declared.types.length > 0 ? `export type { ${declared.types.join(", ")} };\n` : "");
      const text = `${header}${example.code}${footer}`;
      return { example, path, text, headerLines: header.split("\n").length - 1, scope };
    });
  }

  /**
   * Type-checks every example; returns the error messages of each (by
   * example id), empty when it checks. Unused imports of the generated
   * header are not errors (it imports every name the example might use).
   */
  typeCheck(): Map<string, string[]> {
    const files = new Map(this.prepared.map((p) => [p.path, p.text]));
    const program = ts.createProgram({
      rootNames: [...files.keys()],
      options: this.options,
      host: hostWith(this.options, files),
      oldProgram: this.baseProgram,
    });
    const out = new Map<string, string[]>();
    for (const p of this.prepared) {
      const source = program.getSourceFile(p.path);
      if (!source) throw new Error(`${p.example.id}: the example module is missing from the program`);
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      const messages: string[] = [];
      for (const d of diagnostics) {
        const line = d.start === undefined ? undefined : source.getLineAndCharacterOfPosition(d.start).line;
        if (line !== undefined && line < p.headerLines && UNUSED.has(d.code)) continue;
        messages.push(this.describe(p, d, line));
      }
      out.set(p.example.id, messages);
    }
    return out;
  }

  private describe(p: PreparedExample, d: ts.Diagnostic, line: number | undefined): string {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    const codeLines = p.example.code.split("\n").length;
    if (line === undefined) return `${p.example.id}: error TS${d.code}: ${text}`;
    const inExample = line - p.headerLines;
    if (inExample < 0) return `${p.example.id}: error TS${d.code} in the generated imports (${p.text.split("\n")[line]}): ${text}`;
    if (inExample >= codeLines - 1) return `${p.example.id}: error TS${d.code} in the generated exports: ${text}`;
    const srcLine = p.example.line + inExample;
    return `${p.example.file}:${srcLine}: error TS${d.code}: ${text}\n    ${p.example.code.split("\n")[inExample]!.trim()}`;
  }
}

/** Diagnostics of unused names (6133 declared but never read, 6192 all imports unused, 6196 declared but never used, 6198 all destructured elements unused). */
const UNUSED = new Set([6133, 6192, 6196, 6198]);

/** What running an example printed (console and process.stdout/stderr), captured. */
export interface RunOutput {
  readonly console: string;
}

/** Loads a module through the test's module loader (vite: TypeScript, the "sampo" alias). */
export type Importer = (specifier: string) => Promise<Record<string, unknown>>;

/**
 * An example as JavaScript: `import` declarations become
 * `const { … } = await __import("…")` and `import(…)` becomes `__import(…)`.
 */
export function toScript(code: string): { js: string; lines: (number | undefined)[] } {
  const rewrite: ts.TransformerFactory<ts.SourceFile> = (context) => {
    const f = context.factory;
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        return f.updateCallExpression(node, f.createIdentifier("__import"), undefined, ts.visitNodes(node.arguments, visit, ts.isExpression));
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (source) => {
      const statements: ts.Statement[] = [];
      for (const st of source.statements) {
        if (!ts.isImportDeclaration(st)) {
          statements.push(ts.visitNode(st, visit, ts.isStatement));
          continue;
        }
        const clause = st.importClause;
        if (clause?.isTypeOnly) continue;
        const load = f.createAwaitExpression(f.createCallExpression(f.createIdentifier("__import"), undefined, [st.moduleSpecifier as ts.Expression]));
        if (!clause) {
          statements.push(f.createExpressionStatement(load));
          continue;
        }
        const decl = (name: ts.BindingName) =>
          f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, load)], ts.NodeFlags.Const));
        const elements: ts.BindingElement[] = [];
        if (clause.name) elements.push(f.createBindingElement(undefined, "default", clause.name.text));
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) statements.push(decl(f.createIdentifier(bindings.name.text)));
        else if (bindings) {
          for (const el of bindings.elements) {
            if (!el.isTypeOnly) elements.push(f.createBindingElement(undefined, el.propertyName?.text, el.name.text));
          }
        }
        if (elements.length > 0) statements.push(decl(f.createObjectBindingPattern(elements)));
      }
      return f.updateSourceFile(source, statements);
    };
  };
  const out = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, isolatedModules: true, sourceMap: true },
    transformers: { before: [rewrite] },
    reportDiagnostics: false,
    fileName: "example.ts",
  });
  const js = out.outputText.replace(/^\/\/# sourceMappingURL=.*$/m, "").replace(/^export \{\};\s*$/gm, "");
  return { js, lines: sourceLines(JSON.parse(out.sourceMapText!).mappings as string) };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** From a source map's `mappings`: per generated line (0-based), the first original line (0-based) it maps to. */
function sourceLines(mappings: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  let srcLine = 0;
  for (const line of mappings.split(";")) {
    let first: number | undefined;
    for (const segment of line.split(",")) {
      if (segment === "") continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      if (fields.length >= 4) {
        srcLine += fields[2]!;
        first ??= srcLine;
      }
    }
    out.push(first);
  }
  return out;
}

/** The URL the evaluated examples carry, naming their frames in stack traces. */
const SOURCE_URL = "sampo-doc-example";

/**
 * The 0-based line of the example's statement that threw `error` (its
 * outermost frame in the example), if the stack passes through the example.
 */
function thrownAt(error: Error, lines: readonly (number | undefined)[]): number | undefined {
  const frames = [...(error.stack ?? "").matchAll(new RegExp(`${SOURCE_URL}:(\\d+):\\d+`, "g"))];
  if (frames.length === 0) return undefined;
  // A Function's body starts on the third line of its source ("async function anonymous(…\n) {\n").
  return lines[Number(frames[frames.length - 1]![1]) - 3];
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

/**
 * Runs one example: its scope's values are loaded with `importer`, its
 * relative imports are relative to the documented file, and "sampo" is the
 * package root. Rejects with the example's error, its message prefixed with
 * the example's place; console output is captured and attached to the error.
 */
export async function runExample(p: PreparedExample, paths: HarnessPaths, importer: Importer): Promise<RunOutput> {
  const host = resolve(paths.root, p.example.file);
  const resolveSpecifier = (spec: string): string =>
    spec === "sampo" ? paths.packageRoot : spec.startsWith(".") ? resolve(dirname(host), spec) : spec;
  const __import = (spec: unknown) => importer(resolveSpecifier(String(spec)));
  const values = p.scope.filter((s) => s.value);
  const modules = new Map<string, Record<string, unknown>>();
  for (const s of values) if (!modules.has(s.module)) modules.set(s.module, await importer(s.module));
  const script = toScript(p.example.code);
  const fn = new AsyncFunction(...values.map((s) => s.name), "__import", `${script.js}\n//# sourceURL=${SOURCE_URL}`);
  const printed: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const saved = methods.map((k) => console[k]);
  const streams = [process.stdout, process.stderr] as const;
  const savedWrites = streams.map((s) => s.write);
  const cwd = process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), "sampo-doc-example-"));
  for (const k of methods) console[k] = (...args: unknown[]) => void printed.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk).replace(/\n$/, ""));
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (done) queueMicrotask(done);
      return true;
    }) as typeof stream.write;
  }
  try {
    process.chdir(scratch);
    await fn(...values.map((s) => modules.get(s.module)![s.name]), __import);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const tail = printed.length > 0 ? `\n  console (last lines):\n    ${printed.slice(-10).join("\n    ")}` : "";
    const at = thrownAt(err, script.lines);
    const where = at === undefined ? p.example.id : `${p.example.file}:${p.example.line + at} (in the example at line ${p.example.line})`;
    const statement = at === undefined ? "" : `\n    ${p.example.code.split("\n")[at]!.trim()}`;
    err.message = `${where}: the example threw: ${err.message}${statement}${tail}`;
    throw err;
  } finally {
    methods.forEach((k, i) => (console[k] = saved[i]!));
    streams.forEach((stream, i) => (stream.write = savedWrites[i]!));
    process.chdir(cwd);
    rmSync(scratch, { recursive: true, force: true });
  }
  return { console: printed.join("\n") };
}
