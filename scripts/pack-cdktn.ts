// npm run pack:cdktn: builds, then writes dist/mixpanel-s3-export-cdktn-<version>.tgz, the CDK Terrain flavour.
//
// It is the main package's compiled code with two package names swapped in the two files that name them
// (src/cdk/core.ts and src/cdk/aws.ts): `cdktf` becomes `cdktn`, `@cdktf/provider-aws/` becomes
// `@cdktn/provider-aws/`. Any other compiled file that names a cdktf package stops the build, so the flavour
// stays a rename and never becomes a second copy of the code.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** The compiled files allowed to name the CDK packages (see src/cdk/core.ts). */
const CDK_FILES = ["dist/src/cdk/core.js", "dist/src/cdk/core.d.ts", "dist/src/cdk/aws.js", "dist/src/cdk/aws.d.ts"];

/** The peers of the cdktn package: what `npm test`'s consumer tier installs it with. */
export const CDKTN_PEERS = {
  "@cdktn/provider-aws": "^25.5.0",
  cdktn: "^0.24.0",
  constructs: ">=10.6.0 <10.8.0",
};

export const CDKTN_PACKAGE_NAME = "mixpanel-s3-export-cdktn";

/** A module specifier of cdktf or its provider bindings, quoted as compiled JS and .d.ts files write it. */
const CDKTF_SPECIFIER = /(["'])(cdktf|@cdktf\/provider-aws)(\/[^"']*)?\1/g;

/** Renames the cdktf package names in one compiled file's text; returns it unchanged where there are none. */
export function renameToCdktn(text: string): string {
  return text.replace(CDKTF_SPECIFIER, (_match, quote: string, name: string, rest = "") =>
    `${quote}${name === "cdktf" ? "cdktn" : "@cdktn/provider-aws"}${rest}${quote}`);
}

/** The files `npm pack` ships for the main package, as paths relative to the project root. */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  const [{ files }] = JSON.parse(out) as [{ files: { path: string }[] }];
  return files.map((file) => file.path).filter((file) => file !== "package.json");
}

function cdktnManifest(): object {
  const main = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  return {
    name: CDKTN_PACKAGE_NAME,
    version: main.version,
    description: main.description.replace(/^cdktf constructs/, "CDK Terrain (cdktn) constructs"),
    license: main.license,
    main: main.main,
    types: main.types,
    bin: main.bin,
    engines: main.engines,
    peerDependencies: CDKTN_PEERS,
    files: main.files,
  };
}

/**
 * Writes the cdktn package from the compiled code in dist/ (run `npm run build` first) into `outDir`;
 * returns the tarball's path.
 */
export function packCdktn(outDir: string): string {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-s3-export-cdktn-"));
  try {
    const strays: string[] = [];
    for (const file of packedFiles()) {
      const text = fs.readFileSync(path.join(ROOT, file));
      const renamed = /\.(js|ts)$/.test(file) ? renameToCdktn(text.toString("utf8")) : undefined;
      if (renamed !== undefined && renamed !== text.toString("utf8") && !CDK_FILES.includes(file)) strays.push(file);
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), renamed ?? text);
    }
    if (strays.length > 0) {
      throw new Error(`pack:cdktn: only src/cdk/ may import cdktf or @cdktf/provider-aws; these compiled files do: ${strays.join(", ")}`);
    }
    fs.writeFileSync(path.join(staging, "package.json"), `${JSON.stringify(cdktnManifest(), null, 2)}\n`);
    fs.mkdirSync(outDir, { recursive: true });
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", path.resolve(outDir)], { cwd: staging, encoding: "utf8" });
    const [{ filename }] = JSON.parse(out) as [{ filename: string }];
    return path.join(path.resolve(outDir), filename);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log(`wrote ${packCdktn(process.argv[2] ?? path.join(ROOT, "dist"))}`);
}
