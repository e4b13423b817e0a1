// npm run pack:cdktn: builds, then writes dist/mixpanel-s3-export-cdktn-<version>.tgz, the CDK Terrain flavour.
//
// It is the main package's compiled code with two package names swapped in the three files that name them
// (src/cdk/core.ts and src/cdk/aws.ts, which import them, and src/cdk/names.ts, which names them for messages):
// `cdktf` becomes `cdktn`, `@cdktf/provider-aws` becomes `@cdktn/provider-aws`. Any other compiled file that
// names a cdktf package stops the build, so the flavour stays a rename and never becomes a second copy of the
// code. Its README.md and help are its own (cdktn/README.md and cdktn/help), written for a cdktn app.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** The compiled files that name the CDK packages (see src/cdk/core.ts), and so the only ones renamed. */
export const CDK_FILES = [
  "dist/src/cdk/core.js", "dist/src/cdk/core.d.ts", "dist/src/cdk/aws.js", "dist/src/cdk/aws.d.ts", "dist/src/cdk/names.js", "dist/src/cdk/names.d.ts",
];

/** The cdktn package's own files in place of the main package's, by their path in the package. */
export const CDKTN_OWN_FILES: Readonly<Record<string, string>> = { "README.md": "cdktn/README.md", help: "cdktn/help" };

/** The peers of the cdktn package, proven by the library consumer tier of `npm test`. */
export const CDKTN_PEERS = {
  "@cdktn/provider-aws": "^25.5.0",
  cdktn: "^0.24.0",
  constructs: ">=10.6.0 <10.8.0",
};

/** The npm name of the cdktn package. */
export const CDKTN_PACKAGE_NAME = "mixpanel-s3-export-cdktn";

/** A module specifier of cdktf or its provider bindings, quoted as compiled JS and .d.ts files write it. */
const CDKTF_SPECIFIER = /(["'])(cdktf|@cdktf\/provider-aws)(\/[^"']*)?\1/g;

/** Renames the cdktf package names in one compiled file's text; returns it unchanged where there are none. */
export function renameToCdktn(text: string): string {
  return text.replace(CDKTF_SPECIFIER, (_match, quote: string, name: string, rest = "") =>
    `${quote}${name === "cdktf" ? "cdktn" : "@cdktn/provider-aws"}${rest}${quote}`);
}

/** What `npm pack --json` reports of the one package it packs: the tarball's name and the files in it. */
export interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/** `npm pack --json` in `dir` with `args`. */
export function npmPack(dir: string, args: readonly string[]): Packed {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", ...args], { cwd: dir, encoding: "utf8" }));
  return packed;
}

/** The main package's manifest as the cdktn package's: its own name, description and peers, no scripts. */
function cdktnManifest(): object {
  const { scripts: _scripts, devDependencies: _devDependencies, peerDependencies: _peers, ...main } =
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const description = String(main.description).replace(/^cdktf constructs/, "CDK Terrain (cdktn) constructs");
  if (description === main.description) throw new Error(`pack:cdktn: package.json's description no longer starts with "cdktf constructs": ${main.description}`);
  return { ...main, name: CDKTN_PACKAGE_NAME, description, peerDependencies: CDKTN_PEERS };
}

/**
 * Writes the cdktn package from the compiled code in dist/ (run `npm run build` first) into `outDir`;
 * returns the tarball's path and what `npm pack` reports of it. `mainFiles`: the main package's files, where
 * the caller has just packed it (else `npm pack --dry-run` lists them).
 */
export function packCdktn(outDir: string, mainFiles?: Packed["files"]): Packed & { tarball: string } {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-s3-export-cdktn-"));
  try {
    const renamed: string[] = [];
    const files = (mainFiles ?? npmPack(ROOT, ["--dry-run"]).files).map((file) => file.path);
    const unmatched = Object.keys(CDKTN_OWN_FILES).filter((file) => !files.includes(file));
    if (unmatched.length > 0) throw new Error(`pack:cdktn: the main package ships no ${unmatched.join(", ")}, which the cdktn package replaces`);
    for (const file of files) {
      if (file === "package.json") continue;
      const text = fs.readFileSync(path.join(ROOT, CDKTN_OWN_FILES[file] ?? file));
      const cdktn = /\.(js|ts)$/.test(file) ? renameToCdktn(text.toString("utf8")) : undefined;
      if (cdktn !== undefined && cdktn !== text.toString("utf8")) renamed.push(file);
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), cdktn ?? text);
    }
    if (renamed.sort().join() !== [...CDK_FILES].sort().join()) {
      throw new Error(`pack:cdktn: the cdktf package names must stand in ${CDK_FILES.join(", ")} and nowhere else; ` +
        `they stand in: ${renamed.join(", ") || "no file"}`);
    }
    fs.writeFileSync(path.join(staging, "package.json"), `${JSON.stringify(cdktnManifest(), null, 2)}\n`);
    fs.mkdirSync(outDir, { recursive: true });
    const packed = npmPack(staging, ["--pack-destination", path.resolve(outDir)]);
    return { ...packed, tarball: path.join(path.resolve(outDir), packed.filename) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log(`wrote ${packCdktn(process.argv[2] ?? path.join(ROOT, "dist")).tarball}`);
}
