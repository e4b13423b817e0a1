import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runAdopt } from "../src/cli/adopt";
import { runCli } from "../src/cli/main";
import { MODULE_ADOPTION_TARGETS, renderImportBlocks } from "../src/module/adoption";
import { moduleFiles } from "../src/module/module-json";

/** `mixpanel-s3-export adopt`: the import blocks for a call of the registry module. */

function adopt(argv: string[], run = runAdopt) {
  let stdout = "";
  let stderr = "";
  const code = run(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

const HEADER = (address: string) =>
  `# Adopts a Mixpanel export set-up made by hand into ${address} (printed by mixpanel-s3-export adopt).\n` +
  "# Plan, and read the plan before applying: nothing may be replaced or destroyed.\n\n";

test("the bucket with its configuration and the shared role, for a module call with an instance key", () => {
  const { code, stdout, stderr } = adopt(["adopt", "--module", 'module.mixpanel["prod"]', "--bucket", "acme-export", "--encryption", "kms", "--role", "mixpanel-export"], runCli);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const at = 'module.mixpanel["prod"]';
  expect(stdout).toBe(HEADER(at) + [
    `import {\n  to = ${at}.aws_s3_bucket.this[0]\n  id = "acme-export"\n}\n`,
    `import {\n  to = ${at}.aws_s3_bucket_server_side_encryption_configuration.this[0]\n  id = "acme-export"\n}\n`,
    `import {\n  to = ${at}.aws_s3_bucket_public_access_block.this[0]\n  id = "acme-export"\n}\n`,
    `import {\n  to = ${at}.aws_s3_bucket_ownership_controls.this[0]\n  id = "acme-export"\n}\n`,
    `import {\n  to = ${at}.aws_iam_role.this["shared"]\n  id = "mixpanel-export"\n}\n`,
  ].join("\n"));
});

test("per-project roles by token; with encryption NONE and the security defaults off, only the bucket", () => {
  const roles = adopt(["--module", "module.exports.module.mixpanel", "--role", "0123456789abcdef0123456789abcdef=mp-web", "--role=fedcba9876543210fedcba9876543210=mp-app"]);
  expect(roles.code).toBe(0);
  expect([...roles.stdout.matchAll(/to = (\S+)\n  id = (\S+)/g)].map(([, to, id]) => [to, id])).toEqual([
    ['module.exports.module.mixpanel.aws_iam_role.this["0123456789abcdef0123456789abcdef"]', '"mp-web"'],
    ['module.exports.module.mixpanel.aws_iam_role.this["fedcba9876543210fedcba9876543210"]', '"mp-app"'],
  ]);
  const bucket = adopt(["--module", "module.m[0]", "--bucket", "b-1", "--encryption", "NONE", "--no-block-public-access", "--no-enforce-bucket-owner"]);
  expect([...bucket.stdout.matchAll(/to = (\S+)/g)].map(([, to]) => to)).toEqual(["module.m[0].aws_s3_bucket.this[0]"]);
});

test("bad arguments exit 2, listing every problem at once, and print no import block", () => {
  const { code, stdout, stderr } = adopt(["--module", "mixpanel", "--bucket", "b-1", "--role", "a", "--role", "t=b c", "--color"]);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr.split("\n\nUsage:")[0]).toBe([
    "mixpanel-s3-export adopt:",
    "  - unknown argument --color",
    "  - --encryption is required with --bucket: the module call's encryption (NONE, AES or KMS) decides whether its default encryption is imported",
    "  - --module mixpanel: not the address of a module call; write it as Terraform does, e.g. module.mixpanel or module.mixpanel[\"prod\"]",
    "  - --role: either one shared role (--role <name>) or per-project roles (--role <token>=<name> for each), not both",
    "  - --role t=...: a token is used as STS external ID: 2-1224 characters of letters, digits and + = , . @ : / - _. Fix: copy the token from Mixpanel's Project Settings > Overview.",
    "  - --role t=b c: role names are 1-64 characters of letters, digits and + = , . @ - _. Fix: choose a shorter or plainer name.",
  ].join("\n"));
  expect(adopt([]).stderr).toContain("--module <address> is required");
  expect(adopt(["--module", "module.m"]).stderr).toContain("nothing to adopt");
});

test("the adopted addresses are the module's own resources, counted or keyed as the module declares them", () => {
  const resources = (moduleFiles()["main.tf.json"] as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource;
  const declared = (address: string) => {
    const [, type, name, index] = /^(\w+)\.(\w+)\[(.+)\]$/.exec(address)!;
    const resource = resources[type]?.[name];
    return resource === undefined ? "missing" : index === "0" ? ("count" in resource ? "count" : "no count") : ("for_each" in resource ? "for_each" : "no for_each");
  };
  expect([MODULE_ADOPTION_TARGETS.bucket, MODULE_ADOPTION_TARGETS.encryption, MODULE_ADOPTION_TARGETS.publicAccessBlock,
    MODULE_ADOPTION_TARGETS.ownership, MODULE_ADOPTION_TARGETS.role("shared")].map(declared))
    .toEqual(["count", "count", "count", "count", "for_each"]);
});

const BUCKET_FIX = "Fix: use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export.";
const TOKEN_RULE = "a token is used as STS external ID: 2-1224 characters of letters, digits and + = , . @ : / - _. Fix: copy the token from Mixpanel's Project Settings > Overview.";
const TOKEN = "0123456789abcdef0123456789abcdef";

/** The problems adopt lists for `argv` (the lines between its first line and the usage). */
function problemsOf(argv: string[]): { code: number; stdout: string; problems: string[] } {
  const { code, stdout, stderr } = adopt(argv);
  const [head, ...lines] = stderr.split("\n\nUsage:")[0].split("\n");
  expect(head).toBe("mixpanel-s3-export adopt:");
  return { code, stdout, problems: lines.map((line) => line.replace(/^ {2}- /, "")) };
}

describe("bad input: exit 2, nothing printed, every problem in the module's own words", () => {
  const bucket = (name: string) => ["--module", "module.m", "--bucket", name, "--encryption", "AES"];
  test.each<[string, string[], string[]]>([
    ["upper case and _", bucket("My_Bucket"), [
      `--bucket My_Bucket: bucket names may contain only lowercase letters, digits, dots and hyphens. ${BUCKET_FIX}`,
      `--bucket My_Bucket: bucket names start and end with a lowercase letter or digit. ${BUCKET_FIX}`]],
    ["too short", bucket("ab"), [`--bucket ab: bucket names are 3-63 characters long (this one has 2). ${BUCKET_FIX}`]],
    ["an IP address", bucket("192.168.1.1"), [`--bucket 192.168.1.1: bucket names may not be formatted as an IP address. ${BUCKET_FIX}`]],
    ["a reserved prefix", bucket("xn--abc"), [`--bucket xn--abc: bucket names may not start with the reserved prefix "xn--". ${BUCKET_FIX}`]],
    ["adjacent dots", bucket("a..b"), [`--bucket a..b: bucket names may not contain two adjacent dots. ${BUCKET_FIX}`]],
    ["64 characters", bucket("a".repeat(64)), [`--bucket ${"a".repeat(64)}: bucket names are 3-63 characters long (this one has 64). ${BUCKET_FIX}`]],
    ["the bucket's ARN", bucket("arn:aws:s3:::my-bucket"), [`--bucket arn:aws:s3:::my-bucket: bucket names may contain only lowercase letters, digits, dots and hyphens. ${BUCKET_FIX}`]],
    ["an s3:// URL", bucket("s3://my-bucket"), [`--bucket s3://my-bucket: bucket names may contain only lowercase letters, digits, dots and hyphens. ${BUCKET_FIX}`]],
    ["a template sequence", bucket("a${x}b"), [`--bucket a\${x}b: bucket names may contain only lowercase letters, digits, dots and hyphens. ${BUCKET_FIX}`]],
    ["a role key that is no token", ["--module", "module.m", "--role", "=r1"], [`--role =...: ${TOKEN_RULE}`]],
    ["a per-project role without its name", ["--module", "module.m", "--role", `${TOKEN}=`], [`--role ${TOKEN}=: needs the role's name after the =`]],
    ["the same token twice", ["--module", "module.m", "--role", `${TOKEN}=a`, "--role", `${TOKEN}=b`],
      [`--role ${TOKEN}=...: each project token may be listed once. Fix: remove the duplicate.`]],
    ["two shared roles", ["--module", "module.m", "--role", "r1", "--role", "r2"],
      ["--role r1, r2: a module call has one shared role, so --role <name> is given once; with role_per_project give --role <token>=<name> for each project"]],
    ["repeated single-valued flags", ["--module", "module.a", "--module", "module.b", "--bucket", "b-1", "--bucket", "b-2", "--encryption", "AES", "--encryption", "KMS"], [
      "--module module.a, module.b: --module is given once",
      "--bucket b-1, b-2: --bucket is given once",
      "--encryption AES, KMS: --encryption is given once"]],
    ["no --module", ["--role", "r1"], ["--module <address> is required: the address of the module call in your root, e.g. module.mixpanel"]],
    ["nothing to adopt", ["--module", "module.m"], ["nothing to adopt: give --bucket <name>, --role <name> (or --role <token>=<name> per project), or both"]],
  ])("%s", (_, argv, problems) => {
    expect(problemsOf(argv)).toEqual({ code: 2, stdout: "", problems });
  });
});

test("an instance key holding ${ or %{ is taken as Terraform writes it (escaped), and refused unescaped", () => {
  const escaped = 'module.m["a$${x}%%{y}"]';
  expect(adopt(["--module", escaped, "--role", "r1"])).toEqual({ code: 0, stderr: "",
    stdout: HEADER(escaped) + `import {\n  to = ${escaped}.aws_iam_role.this["shared"]\n  id = "r1"\n}\n` });
  expect(problemsOf(["--module", 'module.m["a${x}"]', "--role", "r1"])).toEqual({ code: 2, stdout: "", problems: [
    '--module module.m["a${x}"]: an instance key holding ${ or %{ is written $${ or %%{, as Terraform writes the address (terraform state list, the plan): e.g. module.mixpanel["a$${x}"]'] });
});

test("the printed id is an HCL string: a template sequence in it is escaped", () => {
  expect(renderImportBlocks([{ to: "module.m.aws_iam_role.this[\"shared\"]", id: 'a${x}%{y}"\\' }]))
    .toBe('import {\n  to = module.m.aws_iam_role.this["shared"]\n  id = "a$${x}%%{y}\\"\\\\"\n}\n');
});

describe("--plan: the call's count or for_each, read from a saved plan of the root", () => {
  /** A plan (terraform show -json) of a root calling the module with for_each (team), count (counted) and neither (single). */
  const plan = {
    format_version: "1.2", terraform_version: "1.11.4",
    planned_values: { root_module: { child_modules: [
      { address: 'module.team["prod"]', resources: [] }, { address: 'module.team["dev"]', resources: [] },
      { address: "module.counted[0]", resources: [] }, { address: "module.single", resources: [] }] } },
    resource_changes: [],
    configuration: { root_module: { module_calls: {
      team: { source: "./m", for_each_expression: { references: ["local.teams"] }, module: {} },
      counted: { source: "./m", count_expression: { constant_value: 1 }, module: {} },
      single: { source: "./m", module: {} },
    } } },
  };
  const planFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-adopt-")), "plan.json");
  fs.writeFileSync(planFile, JSON.stringify(plan));
  afterAll(() => fs.rmSync(path.dirname(planFile), { recursive: true, force: true }));
  const withPlan = (module: string) => ["--module", module, "--role", "r1", "--plan", planFile];

  test.each<[string, string[]]>([
    ["module.team", [`--module module.team: module.team has for_each, so an import names one of its instances (e.g. module.team["<key>"]); choose one of module.team["dev"], module.team["prod"]`]],
    ["module.counted", ["--module module.counted: module.counted has count, so an import names one of its instances (e.g. module.counted[0]); choose one of module.counted[0]"]],
    ['module.single["x"]', ['--module module.single["x"]: module.single has neither count nor for_each, so it has no instance key; write module.single']],
    ['module.counted["x"]', ['--module module.counted["x"]: module.counted has count, whose instance keys are numbers, e.g. [0]']],
    ["module.missing", [`--module module.missing: ${planFile} has no module call module.missing; its calls there are module.counted, module.single, module.team`]],
  ])("%s is refused", (module, problems) => {
    expect(problemsOf(withPlan(module))).toEqual({ code: 2, stdout: "", problems });
  });

  test.each(['module.team["prod"]', "module.counted[0]", "module.single"])("%s is accepted, with no note", (module) => {
    expect(adopt(withPlan(module))).toEqual({ code: 0, stderr: "", stdout: HEADER(module) + `import {\n  to = ${module}.aws_iam_role.this["shared"]\n  id = "r1"\n}\n` });
  });

  test("a --plan that is no plan is refused, naming the flag", () => {
    const state = path.join(path.dirname(planFile), "empty.json");
    fs.writeFileSync(state, "");
    expect(problemsOf(withPlan("module.single").slice(0, -1).concat(state)).problems).toEqual([
      `--plan ${state} is empty: expected a cdktf output folder (cdktf synth makes cdktf.out) or a saved plan as JSON (terraform plan -out=plan.bin, then terraform show -json plan.bin > plan.json)`]);
  });

  test("without --plan, an address without an instance key is printed, with a note asking for the instance if the call has one", () => {
    const { code, stderr } = adopt(["--module", "module.team", "--role", "r1"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "mixpanel-s3-export adopt: module.team is written without an instance key, right for a call without count or for_each; " +
      'if it has one, give the instance (e.g. module.mixpanel["prod"] or module.mixpanel[0]), or give --plan plan.json to have adopt check the address and name the instances\n' });
  });
});
