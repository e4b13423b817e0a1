/**
 * The library consumer tier: this project packed as users get it (`npm pack`, `npm run pack:cdktn`), then
 * installed into fresh apps written as users write theirs (__tests__/consumers/library-app/), each with its
 * peers pinned exactly as infrastructure repositories pin them.
 *
 * Installing needs the npm registry (npm's cache is reused: `--prefer-offline`). Where the registry cannot
 * be reached, `describeLibraryConsumers` says so loudly and skips; it never passes silently.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { CDKTN_PACKAGE_NAME, npmPack, packCdktn } from "../../scripts/pack-cdktn";

const execFileAsync = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");
const APP_TEMPLATE = path.join(__dirname, "..", "consumers", "library-app");

export interface Flavour {
  /** Names the app's folder and the tests. */
  readonly name: string;
  readonly core: "cdktf" | "cdktn";
  readonly aws: "@cdktf/provider-aws" | "@cdktn/provider-aws";
  readonly library: string;
  /** Exact versions of the app's own CDK packages. */
  readonly versions: { readonly core: string; readonly constructs: string; readonly aws: string };
}

/**
 * The apps of the tier: for each flavour, the oldest and the newest peers the README promises. The oldest
 * provider bindings are the first for AWS provider 5.100.0, the floor of AWS_PROVIDER_CONSTRAINT.
 */
export const FLAVOURS: readonly Flavour[] = [
  { name: "cdktf-oldest", core: "cdktf", aws: "@cdktf/provider-aws", library: "mixpanel-s3-export",
    versions: { core: "0.21.0", constructs: "10.4.2", aws: "20.1.0" } },
  { name: "cdktf-newest", core: "cdktf", aws: "@cdktf/provider-aws", library: "mixpanel-s3-export",
    versions: { core: "0.21.0", constructs: "10.8.1", aws: "21.22.1" } },
  { name: "cdktn-oldest", core: "cdktn", aws: "@cdktn/provider-aws", library: CDKTN_PACKAGE_NAME,
    versions: { core: "0.24.0", constructs: "10.6.0", aws: "25.5.0" } },
  { name: "cdktn-newest", core: "cdktn", aws: "@cdktn/provider-aws", library: CDKTN_PACKAGE_NAME,
    versions: { core: "0.24.0", constructs: "10.7.2", aws: "25.7.0" } },
];

/** What the app needs to compile and run its own jest test: the versions this project tests with. */
const APP_DEV_DEPENDENCIES = ["jest", "typescript", "@types/jest", "@types/node"];

/** Why the registry cannot be reached, or undefined when it can. */
function registryProblem(): string | undefined {
  try {
    execFileSync("npm", ["view", "cdktf@0.21.0", "version", "--prefer-online"], { stdio: "pipe", timeout: 20000 });
    return undefined;
  } catch (error) {
    const failure = error as { stderr?: Buffer; message: string };
    return (failure.stderr?.toString() || failure.message).trim().split("\n").slice(-1)[0];
  }
}

/** Declares the tier's suite; where the registry cannot be reached, skips it after one loud line on stderr. */
export function describeLibraryConsumers(name: string, fn: () => void): void {
  const problem = registryProblem();
  if (problem === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`\nlibrary consumer tier SKIPPED: the npm registry cannot be reached (npm view cdktf: ${problem})\n\n`);
  describe.skip(name, fn);
}

/** Runs a command; rejects with the command, its folder and its output. */
export async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`\`${command} ${args.join(" ")}\` failed with exit code ${failure.code ?? "?"} in ${cwd}\n` +
      `${failure.stdout ?? ""}\n${failure.stderr ?? ""}`.trim());
  }
}

/** Builds dist/, then packs both packages into `dir`, as `npm pack` and `npm run pack:cdktn` do. */
export async function packLibraries(dir: string): Promise<Record<string, string>> {
  await run(process.execPath, [path.join(ROOT, "scripts", "build.js")], ROOT);
  fs.mkdirSync(dir, { recursive: true });
  const main = path.join(dir, npmPack(ROOT, ["--pack-destination", dir]).filename);
  return { "mixpanel-s3-export": main, [CDKTN_PACKAGE_NAME]: packCdktn(dir) };
}

/** The app's dev dependencies, at the versions this project pins for itself (so npm's cache has them). */
function devDependencyVersions(): Record<string, string> {
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies as Record<string, string>;
  return Object.fromEntries(APP_DEV_DEPENDENCIES.map((name) => [name, own[name]]));
}

/**
 * Writes the app for `flavour` into `dir`: the template with the flavour's package names, and a
 * package.json pinning its peers exactly, the library taken from its tarball.
 */
export function writeApp(flavour: Flavour, dir: string, tarball: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(APP_TEMPLATE)) {
    const text = fs.readFileSync(path.join(APP_TEMPLATE, file), "utf8")
      .split("CDK_CORE").join(flavour.core)
      .split("CDK_AWS").join(flavour.aws)
      .split("MIXPANEL_LIBRARY").join(flavour.library);
    fs.writeFileSync(path.join(dir, file), text);
  }
  const manifest = {
    name: `analytics-${flavour.name}`,
    private: true,
    dependencies: {
      [flavour.library]: `file:${tarball}`,
      [flavour.core]: flavour.versions.core,
      constructs: flavour.versions.constructs,
      [flavour.aws]: flavour.versions.aws,
    },
    devDependencies: devDependencyVersions(),
    jest: { testEnvironment: "node", roots: ["<rootDir>/out"], setupFilesAfterEnv: ["<rootDir>/out/setup.js"] },
  };
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `npm install` as a user runs it, from npm's cache where it can. */
export function npmInstall(dir: string): Promise<string> {
  return run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], dir);
}

/** Where each of `names` resolves from `fromDir` (a package's folder), or undefined where it does not. */
export function resolvedPackageDirs(fromDir: string, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => {
    try {
      return [name, path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] }))];
    } catch {
      return [name, undefined];
    }
  }));
}

/** The packages that the declarations (.d.ts) below `dir` import, by package name. */
export function packagesImportedByDeclarations(dir: string): string[] {
  const names = new Set<string>();
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") visit(file);
      if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
      for (const [, specifier] of fs.readFileSync(file, "utf8").matchAll(/(?:from |import\()["']([^"'.][^"']*)["']/g)) {
        const parts = specifier.split("/");
        names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]);
      }
    }
  };
  visit(dir);
  return [...names].sort();
}
