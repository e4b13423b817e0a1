/**
 * What the packages ship: the compiled code with its types, README, help and licence, nothing else; and the
 * rule that keeps the CDK Terrain package a rename of the same code.
 */
import * as fs from "fs";
import * as path from "path";
import { CDKTN_PACKAGE_NAME, CDKTN_PEERS, renameToCdktn } from "../../scripts/pack-cdktn";
import { packedLibraries } from "../support/library-consumers";

const ROOT = path.join(__dirname, "..", "..");
/** Building and packing, shared with the library consumer tier; under load it takes a minute. */
const PACK_TIMEOUT_MS = 5 * 60 * 1000;

/** Every file below `dir` of the project, relative to it. */
function filesBelow(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(file) : entry.isFile() ? [file] : [];
  });
}

/** The development tools in src/ that the packages leave out: they serve this repository only. */
const REPOSITORY_ONLY = [/^src\/docs\//, /^src\/module\/publish\.ts$/];

// Both packages as this run packed them, from a fresh build (scripts/build.js empties dist/src first).
test("the package holds the compiled code and types of src/, the review command, README, help and licence, and nothing else", async () => {
  const { files } = (await packedLibraries())["mixpanel-s3-export"];
  const sources = filesBelow("src").filter((file) => !REPOSITORY_ONLY.some((pattern) => pattern.test(file)));
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
}, PACK_TIMEOUT_MS);

test("the cdktn package holds the same files as the main package", async () => {
  const packed = await packedLibraries();
  const paths = (name: string) => packed[name].files.map((file) => file.path).sort();
  expect(paths(CDKTN_PACKAGE_NAME)).toEqual(paths("mixpanel-s3-export"));
}, PACK_TIMEOUT_MS);

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
