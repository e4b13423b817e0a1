/**
 * What the packages ship: the compiled code with its types, README, help and licence, nothing else; and the
 * rule that keeps the CDK Terrain package a rename of the same code.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CDKTN_PEERS, npmPack, renameToCdktn } from "../../scripts/pack-cdktn";

const ROOT = path.join(__dirname, "..", "..");

/** Every file below `dir` of `root` (default: the project), relative to `root`. */
function filesBelow(dir: string, root = ROOT): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(file, root) : entry.isFile() ? [file] : [];
  });
}

/** The development tools in src/ that the packages leave out: they serve this repository only. */
const REPOSITORY_ONLY = [/^src\/docs\//, /^src\/module\/publish\.ts$/];

/** A copy of the work tree (tracked and untracked files, as git sees them) with a fresh build, to pack from. */
function freshBuildCopy(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-package-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0").filter((file) => file && fs.existsSync(path.join(ROOT, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
  execFileSync(process.execPath, [path.join(copy, "scripts", "build.js"), copy], { stdio: "pipe" });
  return copy;
}

test("the package holds the compiled code and types of src/, the review command, README, help and licence, and nothing else", () => {
  // Packed from a copy: the consumer tier builds and packs the work tree itself at the same time.
  const copy = freshBuildCopy();
  try {
    const { files } = npmPack(copy, ["--dry-run"]);
    const sources = filesBelow("src", copy).filter((file) => !REPOSITORY_ONLY.some((pattern) => pattern.test(file)));
    const expected = [
      ...sources.filter((file) => file.endsWith(".ts")).flatMap((file) => [`dist/${file.replace(/\.ts$/, ".js")}`, `dist/${file.replace(/\.ts$/, ".d.ts")}`]),
      ...sources.filter((file) => file.endsWith(".tftest.hcl")).map((file) => `dist/${file}`),
      "bin/mixpanel-s3-export.js",
      "README.md",
      "help",
      "LICENSE",
      "package.json",
    ];
    expect(files.map((file) => file.path).sort()).toEqual(expected.sort());
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test("the cdktf packages are named in src/cdk/ only, so the cdktn package is a rename of the same code", () => {
  const naming = [...filesBelow("src"), "main.ts", ...filesBelow("bin")].filter((file) => /\.(ts|js)$/.test(file))
    .filter((file) => renameToCdktn(fs.readFileSync(path.join(ROOT, file), "utf8")) !== fs.readFileSync(path.join(ROOT, file), "utf8"));
  expect(naming.sort()).toEqual(["src/cdk/aws.ts", "src/cdk/core.ts"]);
});

test("the rename swaps module specifiers only, in JS and in declarations", () => {
  const compiled = [
    'var cdktf_1 = require("cdktf");',
    'var kms_key_1 = require("@cdktf/provider-aws/lib/kms-key");',
    "export { KmsKey } from '@cdktf/provider-aws/lib/kms-key';",
    'export { App } from "cdktf";',
    '// the cdktf construct, see "cdktf.json" and "@cdktf/provider-aws-extra"',
  ].join("\n");
  expect(renameToCdktn(compiled)).toBe([
    'var cdktf_1 = require("cdktn");',
    'var kms_key_1 = require("@cdktn/provider-aws/lib/kms-key");',
    "export { KmsKey } from '@cdktn/provider-aws/lib/kms-key';",
    'export { App } from "cdktn";',
    '// the cdktf construct, see "cdktf.json" and "@cdktf/provider-aws-extra"',
  ].join("\n"));
});

test("cdktf, constructs and the provider bindings are peers of both packages, never dependencies", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(manifest.dependencies).toBeUndefined();
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual(["@cdktf/provider-aws", "cdktf", "constructs"]);
  expect(Object.keys(CDKTN_PEERS).sort()).toEqual(["@cdktn/provider-aws", "cdktn", "constructs"]);
});
