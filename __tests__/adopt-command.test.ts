import { runAdopt } from "../src/cli/adopt";
import { runCli } from "../src/cli/main";
import { MODULE_ADOPTION_TARGETS } from "../src/module/adoption";
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
    "  - --role t=b c: role names are 1-64 characters of letters, digits and + = , . @ - _",
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
