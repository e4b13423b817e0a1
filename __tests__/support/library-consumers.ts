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
import { CDKTN_PACKAGE_NAME, packCdktn } from "../../scripts/pack-cdktn";

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

/** The apps of the tier: cdktf with the oldest and the newest peers the README promises, and cdktn. */
export const FLAVOURS: readonly Flavour[] = [
  { name: "cdktf-oldest", core: "cdktf", aws: "@cdktf/provider-aws", library: "mixpanel-s3-export",
    versions: { core: "0.21.0", constructs: "10.4.2", aws: "20.1.0" } },
  { name: "cdktf-newest", core: "cdktf", aws: "@cdktf/provider-aws", library: "mixpanel-s3-export",
    versions: { core: "0.21.0", constructs: "10.8.1", aws: "21.22.1" } },
  { name: "cdktn", core: "cdktn", aws: "@cdktn/provider-aws", library: CDKTN_PACKAGE_NAME,
    versions: { core: "0.24.0", constructs: "10.6.0", aws: "25.5.0" } },
];

/** What the app needs to compile and run its own jest test: the versions this project tests with. */
const APP_DEV_DEPENDENCIES = ["jest", "typescript", "@types/jest", "@types/node"];

/** Why the registry cannot be reached, or undefined when it can. */
function registryProblem(): string | undefined {
  try {
    execFileSync("npm", ["ping"], { stdio: "pipe", timeout: 30000 });
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
  process.stderr.write(`\nlibrary consumer tier SKIPPED: the npm registry cannot be reached (npm ping: ${problem})\n\n`);
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

/** Packs both packages into `dir` (the main one through `npm pack`, whose prepack builds dist/). */
export async function packLibraries(dir: string): Promise<Record<string, string>> {
  fs.mkdirSync(dir, { recursive: true });
  const [{ filename }] = JSON.parse(await run("npm", ["pack", "--json", "--pack-destination", dir], ROOT)) as [{ filename: string }];
  return { "mixpanel-s3-export": path.join(dir, filename), [CDKTN_PACKAGE_NAME]: packCdktn(dir) };
}

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
    scripts: { build: "tsc", test: "jest", synth: "node out/main.js" },
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
