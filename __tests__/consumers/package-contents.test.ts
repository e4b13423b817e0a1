/**
 * What the packages ship and export. The main package ships exactly what its entries load (the `exports` map's
 * two entries and the bin, whose commands are review, adopt and help) with their declarations, README, help
 * and licence; it exports only its public API, to CommonJS and ES modules alike. The CDK Terrain package is a
 * rename of the same code with a README and help of its own, and its messages speak of cdktn.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { CDKTN_OWN_FILES, CDKTN_PACKAGE_NAME, CDKTN_PEERS, CDK_FILES, renameToCdktn } from "../../scripts/pack-cdktn";
import { runProcess } from "../support/child-process";
import { packedLibraries } from "../support/library-consumers";
import { declarationClosure, packageOf, requireClosure } from "../support/package-closure";

const ROOT = path.join(__dirname, "..", "..");
/** Building and packing, shared with the library consumer tier; under load it takes a minute. */
const PACK_TIMEOUT_MS = 5 * 60 * 1000;

const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  peerDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
};
/** The code entries of the `exports` map (`.`, `./review`), each with its declarations and code. */
const ENTRIES = Object.entries(MANIFEST.exports).flatMap(([key, target]) =>
  typeof target === "string" ? [] : [{ key, types: path.posix.normalize(target.types), code: path.posix.normalize(target.default) }]);
/** Files every package holds besides code: npm adds package.json, README and the licence; help is this one's. */
const FIXED_FILES = ["README.md", "help", "LICENSE", "package.json"];
/**
 * The bin's branch for a checkout: where src/cli/main.ts exists, it runs the TypeScript sources through swc.
 * The package ships no sources, so it never takes it.
 */
const CHECKOUT_ONLY = ['bin/mixpanel-s3-export.js: require(path.join(root, "scripts", "swc-register.js"))', "bin/mixpanel-s3-export.js: require(source)"];

/** Every file below `dir` of the project, relative to it. */
function filesBelow(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(file) : entry.isFile() ? [file] : [];
  });
}

/** What the package's code entries and its bin load, read from the build that was packed. */
function closureOfBuild() {
  return requireClosure(ROOT, [...ENTRIES.map((entry) => entry.code), ...Object.values(MANIFEST.bin).map((bin) => path.posix.normalize(bin))], CHECKOUT_ONLY);
}

/** The package's runtime names as an API report (api/*.api.md) lists them: its classes, functions and constants. */
function reportedRuntimeNames(report: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, "api", report), "utf8");
  return [...text.matchAll(/^export (?:declare )?(?:abstract )?(?:class|function|const|let|enum) (\w+)/gm)].map(([, name]) => name).sort();
}

/** Unpacks `tarball` into a new temporary folder; returns the package's folder. */
function unpack(tarball: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-package-"));
  execFileSync("tar", ["xzf", tarball, "-C", dir]);
  return path.join(dir, "package");
}

// Both packages as this run packed them, from a fresh build (scripts/build.js empties dist/src first).
test("the package holds what its entries and the bin load, with their declarations, README, help and licence, and nothing else", async () => {
  const { files } = (await packedLibraries())["mixpanel-s3-export"];
  const closure = closureOfBuild();
  expect({ missing: closure.missing, unknown: closure.unknown }).toEqual({ missing: [], unknown: [] });
  const expected = new Set([
    ...closure.files,
    ...closure.files.filter((file) => file.startsWith("dist/")).map((file) => file.replace(/\.js$/, ".d.ts")),
    ...declarationClosure(ROOT, ENTRIES.map((entry) => entry.types)),
    ...FIXED_FILES,
  ]);
  expect(files.map((file) => file.path).sort()).toEqual([...expected].sort());
  // What the walk leaves out: the registry-module builder, the settings reader, the docs renderer.
  expect(files.some((file) => file.path.startsWith("dist/src/module/module-json"))).toBe(false);
}, PACK_TIMEOUT_MS);

test("the shipped code requires by name only node's own modules and the peers, and every peer", () => {
  const named = [...new Set(closureOfBuild().packages.map(packageOf))];
  expect(named.filter((name) => !builtinModules.includes(name)).sort()).toEqual(Object.keys(MANIFEST.peerDependencies).sort());
});

test("the walk follows relative, lazy and package-root requires, and reports what it cannot follow", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-closure-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write("bin/cli.js", 'const root = path.join(__dirname, "..");\nrequire(path.join(root, "lib", "main.js"));\nrequire(path.join(root, "dev", "only.js"));\n');
  write("lib/main.js", 'const fs = require("fs");\nfunction later() { return require("./lazy"); }\nrequire("./folder");\nrequire("./gone");\nrequire(name);\n');
  write("lib/lazy.js", 'require("cdktf");\nrequire("./main");\n');
  write("lib/folder/index.js", 'require("@cdktf/provider-aws/lib/iam-role");\n');
  write("lib/unused.js", 'require("./lazy");\n');
  expect(requireClosure(dir, ["bin/cli.js"], ['bin/cli.js: require(path.join(root, "dev", "only.js"))'])).toEqual({
    files: ["bin/cli.js", "lib/folder/index.js", "lib/lazy.js", "lib/main.js"],
    packages: ["@cdktf/provider-aws/lib/iam-role", "cdktf", "fs"],
    missing: ['lib/main.js: require("./gone")'],
    unknown: ["lib/main.js: require(name)"],
  });
  expect(() => requireClosure(dir, ["lib/lazy.js"], ["lib/lazy.js: require(source)"]))
    .toThrow("requires to skip that the walk never met: lib/lazy.js: require(source)");
});

test("the exports map has the package's two entries; main, types and typesVersions point where it does", async () => {
  const { files } = (await packedLibraries())["mixpanel-s3-export"];
  expect(Object.keys(MANIFEST.exports)).toEqual([".", "./review", "./package.json"]);
  expect(MANIFEST.exports["./package.json"]).toBe("./package.json");
  const root = ENTRIES.find((entry) => entry.key === ".")!;
  expect({ main: MANIFEST.main, types: MANIFEST.types }).toEqual({ main: root.code, types: root.types });
  // TypeScript's node10 resolution (`module: commonjs` without moduleResolution) reads no exports map.
  expect(MANIFEST.typesVersions).toEqual({ "*": Object.fromEntries(ENTRIES.filter((entry) => entry.key !== ".").map((entry) => [entry.key.slice(2), [entry.types]])) });
  const shipped = new Set(files.map((file) => file.path));
  expect(ENTRIES.flatMap((entry) => [entry.code, entry.types]).filter((file) => !shipped.has(file))).toEqual([]);
}, PACK_TIMEOUT_MS);

describe("the packed package installed beside its peers", () => {
  let app: string;

  beforeAll(async () => {
    const packed = (await packedLibraries())["mixpanel-s3-export"];
    app = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-exports-"));
    fs.mkdirSync(path.join(app, "node_modules", "@cdktf"), { recursive: true });
    fs.renameSync(unpack(packed.tarball), path.join(app, "node_modules", "mixpanel-s3-export"));
    for (const peer of Object.keys(MANIFEST.peerDependencies)) {
      fs.symlinkSync(path.join(ROOT, "node_modules", peer), path.join(app, "node_modules", peer), "dir");
    }
  }, PACK_TIMEOUT_MS);

  afterAll(() => fs.rmSync(app, { recursive: true, force: true }));

  test("ES modules and CommonJS see the same names, those of the API reports; internal files are not exported", async () => {
    const script = [
      'import { MixpanelS3Export } from "mixpanel-s3-export";',
      'import { reviewDiff } from "mixpanel-s3-export/review";',
      'import * as root from "mixpanel-s3-export";',
      'import * as review from "mixpanel-s3-export/review";',
      'import { createRequire } from "module";',
      "const require = createRequire(import.meta.url);",
      // "default", "__esModule" and (Node 23+) "module.exports" are how Node presents any CommonJS module to ESM.
      'const wrapping = new Set(["default", "__esModule", "module.exports"]);',
      "const names = (namespace) => Object.keys(namespace).filter((name) => !wrapping.has(name)).sort();",
      "const refused = (request) => { try { require(request); return \"loaded\"; } catch (error) { return error.code; } };",
      "console.log(JSON.stringify({",
      "  named: [typeof MixpanelS3Export, typeof reviewDiff],",
      "  esm: { root: names(root), review: names(review) },",
      '  cjs: { root: names(require("mixpanel-s3-export")), review: names(require("mixpanel-s3-export/review")) },',
      '  internal: [refused("mixpanel-s3-export/dist/src/config/props.js"), refused("mixpanel-s3-export/dist/src/module/adoption")],',
      "}));",
    ].join("\n");
    const result = await runProcess(process.execPath, ["--input-type=module", "-e", script], { cwd: app });
    expect(result.stderr).toBe("");
    const runtime = { root: reportedRuntimeNames("mixpanel-s3-export.api.md"), review: reportedRuntimeNames("review.api.md") };
    expect(JSON.parse(result.stdout)).toEqual({
      named: ["function", "function"],
      esm: runtime,
      cjs: runtime,
      internal: ["ERR_PACKAGE_PATH_NOT_EXPORTED", "ERR_PACKAGE_PATH_NOT_EXPORTED"],
    });
  });

  test.each([
    ["node10 (module commonjs, as cdktf init writes it)", ["--module", "commonjs"]],
    ["node16", ["--module", "node16", "--moduleResolution", "node16"]],
  ])("TypeScript with %s resolution types both entries", async (_name, flags) => {
    fs.writeFileSync(path.join(app, "use.ts"), [
      'import { MixpanelS3Export, Problem, validateProps } from "mixpanel-s3-export";',
      'import { Change, reviewDiff } from "mixpanel-s3-export/review";',
      'const problems: Problem[] = validateProps({ projects: [{ token: "t" }], bucketName: "b" });',
      'const changes: Change[] = reviewDiff("base", "head").changes;',
      "export const used = [MixpanelS3Export, problems, changes];",
    ].join("\n"));
    const result = await runProcess(process.execPath, [require.resolve("typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck",
      "--types", "node", "--typeRoots", path.join(ROOT, "node_modules", "@types"), ...flags, "use.ts"], { cwd: app });
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
  }, 60000);
});

test("the cdktn package holds the same files as the main package", async () => {
  const packed = await packedLibraries();
  const paths = (name: string) => packed[name].files.map((file) => file.path).sort();
  expect(paths(CDKTN_PACKAGE_NAME)).toEqual(paths("mixpanel-s3-export"));
}, PACK_TIMEOUT_MS);

describe("the cdktn package speaks of cdktn", () => {
  let cdktn: string;
  let main: string;
  const cdktnWords = (text: string) => text.replace(/\bcdktf\b(?![.\w])/g, "cdktn");

  beforeAll(async () => {
    const packed = await packedLibraries();
    cdktn = unpack(packed[CDKTN_PACKAGE_NAME].tarball);
    main = unpack(packed["mixpanel-s3-export"].tarball);
  }, PACK_TIMEOUT_MS);

  afterAll(() => {
    for (const dir of [cdktn, main]) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test("its README and help are its own (cdktn/), byte for byte", () => {
    expect(Object.keys(CDKTN_OWN_FILES).map((file) => fs.readFileSync(path.join(cdktn, file), "utf8")))
      .toEqual(Object.values(CDKTN_OWN_FILES).map((file) => fs.readFileSync(path.join(ROOT, file), "utf8")));
  });

  test("its README and help install it, import from cdktn, @cdktn/provider-aws/lib/... and itself, and state its peers", () => {
    const readme = fs.readFileSync(path.join(ROOT, "cdktn", "README.md"), "utf8");
    const help = fs.readFileSync(path.join(ROOT, "cdktn", "help"), "utf8");
    const imports = (text: string) => [...text.matchAll(/^\s*import \{ ([^}]+) \} from "([^"]+)";/gm)].map(([, names, from]) => ({ names: names.split(", "), from }));
    const specifiers = [...imports(readme), ...imports(help)].map((entry) => entry.from);
    expect(specifiers.filter((from) => !/^(cdktn|constructs|@cdktn\/provider-aws\/lib\/[a-z0-9-]+|mixpanel-s3-export-cdktn)$/.test(from))).toEqual([]);
    expect(specifiers).toEqual(expect.arrayContaining(["cdktn", "@cdktn/provider-aws/lib/provider", CDKTN_PACKAGE_NAME]));
    const ownNames = [...imports(readme), ...imports(help)].filter((entry) => entry.from === CDKTN_PACKAGE_NAME).flatMap((entry) => entry.names);
    expect(ownNames.filter((name) => !reportedRuntimeNames("mixpanel-s3-export.api.md").includes(name))).toEqual([]);
    for (const text of [readme, help]) expect(text).toContain(`npm install ${CDKTN_PACKAGE_NAME}`);
    const table = Object.fromEntries([...readme.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|$/gm)].map(([, peer, range]) => [peer, range]));
    expect(table).toEqual(CDKTN_PEERS);
    const inHelp = Object.fromEntries([...help.matchAll(/(cdktn|constructs|@cdktn\/provider-aws) \(([^)]+)\)/g)].map(([, peer, range]) => [peer, range]));
    expect(inHelp).toEqual(CDKTN_PEERS);
  });

  test("its names for messages are cdktn's; the config file stays cdktf.json, which the cdktn CLI reads", () => {
    const names = (dir: string) => ({ ...require(path.join(dir, "dist", "src", "cdk", "names.js")) });
    expect(names(main)).toEqual({ CDK_CLI: "cdktf", CDK_AWS_PACKAGE: "@cdktf/provider-aws", CDK_CONFIG_FILE: "cdktf.json" });
    expect(names(cdktn)).toEqual({ CDK_CLI: "cdktn", CDK_AWS_PACKAGE: "@cdktn/provider-aws", CDK_CONFIG_FILE: "cdktf.json" });
  });

  test("its review command says cdktn where the main package's says cdktf", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-empty-"));
    const run = (dir: string, args: string[]) => runProcess(process.execPath, [path.join(dir, "bin", "mixpanel-s3-export.js"), ...args], { cwd: empty });
    const [mainHelp, cdktnHelp, mainEmpty, cdktnEmpty] = await Promise.all([run(main, ["review", "--help"]), run(cdktn, ["review", "--help"]),
      run(main, ["review", empty]), run(cdktn, ["review", empty])]);
    fs.rmSync(empty, { recursive: true, force: true });
    expect(mainHelp.stdout).toContain("<path>: a cdktf output folder (default: cdktf.out)");
    expect(cdktnHelp).toEqual({ ...mainHelp, stdout: cdktnWords(mainHelp.stdout) });
    expect(cdktnHelp.stdout).toContain("<path>: a cdktn output folder (default: cdktf.out)");
    expect(mainEmpty.stderr).toContain(`${empty} is not a cdktf output: expected a cdktf output folder`);
    expect(cdktnEmpty).toEqual({ ...mainEmpty, stderr: cdktnWords(mainEmpty.stderr) });
  });

  test("its construct's messages name @cdktn/provider-aws; the settings' name cdktf.json in both", () => {
    const rules = (dir: string) => {
      const { CONSTRUCT_RULES } = require(path.join(dir, "dist", "src", "rules", "texts.js"));
      const { describeSetting } = require(path.join(dir, "dist", "src", "settings", "catalog.js"));
      return { provider: CONSTRUCT_RULES.providerNotAws.rule, grantRead: CONSTRUCT_RULES.grantReadRole.rule, setting: describeSetting("bucketName") };
    };
    expect(rules(cdktn)).toEqual({
      provider: "must be an AwsProvider (from @cdktn/provider-aws/lib/provider)",
      grantRead: "grantRead takes an IamRole (from @cdktn/provider-aws/lib/iam-role) of the construct's stack",
      setting: "MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName)",
    });
    expect(rules(main)).toEqual({
      provider: "must be an AwsProvider (from @cdktf/provider-aws/lib/provider)",
      grantRead: "grantRead takes an IamRole (from @cdktf/provider-aws/lib/iam-role) of the construct's stack",
      setting: "MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName)",
    });
  });
});

test("the cdktf packages are named in src/cdk/ only, so the cdktn package is a rename of the same code", () => {
  const naming = [...filesBelow("src"), "main.ts", ...filesBelow("bin")].filter((file) => /\.(ts|js)$/.test(file))
    .filter((file) => renameToCdktn(fs.readFileSync(path.join(ROOT, file), "utf8")) !== fs.readFileSync(path.join(ROOT, file), "utf8"));
  expect(naming.sort()).toEqual(["src/cdk/aws.ts", "src/cdk/core.ts", "src/cdk/names.ts"]);
  // pack:cdktn renames exactly their compiled code and declarations.
  expect([...CDK_FILES].sort()).toEqual(naming.flatMap((file) => [`dist/${file.replace(/\.ts$/, ".js")}`, `dist/${file.replace(/\.ts$/, ".d.ts")}`]).sort());
});

test("the rename swaps module specifiers only, in JS and in declarations", () => {
  const compiled = [
    'var cdktf_1 = require("cdktf");',
    'var kms_key_1 = require("@cdktf/provider-aws/lib/kms-key");',
    "export { KmsKey } from '@cdktf/provider-aws/lib/kms-key';",
    'export { App } from "cdktf";',
    'exports.CDK_CLI = "cdktf";',
    'export declare const CDK_AWS_PACKAGE = "@cdktf/provider-aws";',
    'exports.CDK_CONFIG_FILE = "cdktf.json";',
    '// the cdktf construct, see "cdktf.json" and "@cdktf/provider-aws-extra"',
  ].join("\n");
  expect(renameToCdktn(compiled)).toBe([
    'var cdktf_1 = require("cdktn");',
    'var kms_key_1 = require("@cdktn/provider-aws/lib/kms-key");',
    "export { KmsKey } from '@cdktn/provider-aws/lib/kms-key';",
    'export { App } from "cdktn";',
    'exports.CDK_CLI = "cdktn";',
    'export declare const CDK_AWS_PACKAGE = "@cdktn/provider-aws";',
    'exports.CDK_CONFIG_FILE = "cdktf.json";',
    '// the cdktf construct, see "cdktf.json" and "@cdktf/provider-aws-extra"',
  ].join("\n"));
});

test("cdktf, constructs and the provider bindings are peers of both packages, never dependencies", () => {
  expect(MANIFEST.dependencies).toBeUndefined();
  expect(Object.keys(MANIFEST.peerDependencies).sort()).toEqual(["@cdktf/provider-aws", "cdktf", "constructs"]);
  expect(Object.keys(CDKTN_PEERS).sort()).toEqual(["@cdktn/provider-aws", "cdktn", "constructs"]);
});
