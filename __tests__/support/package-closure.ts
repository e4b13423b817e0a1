/**
 * What a package's entry points load, read from its compiled files: the package-contents test ships exactly
 * this, so a file a user needs but the package leaves out fails it, and so does a file nobody loads.
 */
import * as fs from "fs";
import * as path from "path";

/** What {@link requireClosure} found, every path relative to the package's folder, sorted. */
export interface RequireClosure {
  /** Every file the entries load, the entries included. */
  readonly files: readonly string[];
  /** The packages required by name (`cdktf`, `@cdktf/provider-aws/lib/iam-role`, `fs`), as written. */
  readonly packages: readonly string[];
  /** `<file>: <require(...)>` for each require of a file that does not exist. */
  readonly missing: readonly string[];
  /** `<file>: <require(...)>` for each require the walk cannot follow and was not told to skip. */
  readonly unknown: readonly string[];
}

/** A require call: `require("<specifier>")`, `require(path.join(root, "a", "b"))` or any other argument. */
const REQUIRE = /\brequire\((path\.join\([^)]*\)|[^)]*)\)/g;
/** `path.join(root, "a", "b")`: in the bin, `root` is the package's folder. */
const ROOT_JOIN = /^path\.join\(root((?:, "[^"]+")+)\)$/;

/** The file a relative specifier names, as node resolves it: as given, with `.js`, or its folder's index.js. */
function resolveRelative(dir: string, from: string, specifier: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return [base, `${base}.js`, `${base}/index.js`].find((file) => fs.statSync(path.join(dir, file), { throwIfNoEntry: false })?.isFile());
}

/**
 * Follows every `require(...)` from `entries` (files of the package in `dir`, relative to it) through the
 * package's files: relative specifiers, and `path.join(root, "...")` with string literals (the bin's form).
 * `skip`: require calls (`<file>: <call>`) not to follow, each of which must occur (the bin's branch that runs
 * a checkout's TypeScript sources, which the package does not ship). Lazy requires inside functions count:
 * the walk reads the text, it does not run it.
 */
export function requireClosure(dir: string, entries: readonly string[], skip: readonly string[] = []): RequireClosure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const missing: string[] = [];
  const unknown: string[] = [];
  const skipped = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [call, argument] of fs.readFileSync(path.join(dir, file), "utf8").matchAll(REQUIRE)) {
      const where = `${file}: ${call}`;
      if (skip.includes(where)) {
        skipped.add(where);
        continue;
      }
      const literal = /^"([^"]+)"$/.exec(argument)?.[1];
      const joined = ROOT_JOIN.exec(argument)?.[1];
      if (literal !== undefined && !literal.startsWith(".")) {
        packages.add(literal);
      } else if (literal !== undefined || joined !== undefined) {
        const target = literal !== undefined
          ? resolveRelative(dir, file, literal)
          : resolveRelative(dir, "", [...joined!.matchAll(/"([^"]+)"/g)].map(([, part]) => part).join("/"));
        if (target === undefined) missing.push(where);
        else visit(target);
      } else {
        unknown.push(where);
      }
    }
  };
  for (const entry of entries) visit(path.posix.normalize(entry));
  const notFound = skip.filter((where) => !skipped.has(where));
  if (notFound.length > 0) throw new Error(`requires to skip that the walk never met: ${notFound.join("; ")}`);
  return { files: [...files].sort(), packages: [...packages].sort(), missing, unknown };
}

/**
 * The declaration files that `entries` (.d.ts files of the package in `dir`) import, the entries included:
 * `from "./x"` and `import("./x")`, each `./x.d.ts` or `./x/index.d.ts`; sorted.
 */
export function declarationClosure(dir: string, entries: readonly string[]): string[] {
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of fs.readFileSync(path.join(dir, file), "utf8").matchAll(/(?:from |import\()["'](\.[^"']*)["']/g)) {
      const base = path.posix.join(path.posix.dirname(file), specifier);
      const target = [`${base}.d.ts`, `${base}/index.d.ts`].find((candidate) => fs.existsSync(path.join(dir, candidate)));
      if (target === undefined) throw new Error(`${file} imports ${specifier}, which is no declaration file of the package`);
      visit(target);
    }
  };
  for (const entry of entries) visit(path.posix.normalize(entry));
  return [...files].sort();
}

/** A package name of a specifier: `@cdktf/provider-aws/lib/iam-role` is `@cdktf/provider-aws`, `fs` is `fs`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
