/**
 * The construct as a library, as AWS CDK users expect one: clashes between exports refused at synth, a
 * provider of its own, references and grants, addresses that never depend on token order, and messages
 * in the props' words. (The packed library in fresh apps: consumers/library.consumer.test.ts.)
 */
import "./support/matchers";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Construct } from "constructs";
import { providerRegionExpression } from "../src/config/aws-provider";
import { MixpanelS3ExportProps } from "../src/config/props";
import { MixpanelS3Export } from "../src/constructs/mixpanel-s3-export";
import { exportReaderPolicy } from "../src/policies/reader-policies";
import { diffStacks } from "../src/review/diff";
import { readStack } from "../src/review/model";
import { renderReport } from "../src/review/report";
import { MixpanelSettingsError } from "../src/rules/problems";
import { CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, TOKEN_C, parse } from "./support/synth";

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const props = (overrides: Partial<MixpanelS3ExportProps> = {}): MixpanelS3ExportProps =>
  ({ projects: [{ token: TOKEN }], bucketName: "acme-mixpanel-export", ...overrides });

/** A user's stack with its default AWS provider. */
function userStack(region: string | undefined = "us-east-1", app = Testing.app(), id = "analytics"): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", region === undefined ? {} : { region });
  return stack;
}

/** The message of what `build` throws; fails when it throws nothing or something other than a MixpanelSettingsError. */
function thrownMessage(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(MixpanelSettingsError);
    return (error as Error).message;
  }
  throw new Error("nothing was thrown");
}

const resourcesOf = (stack: TerraformStack): Resources => parse(Testing.synth(stack)).resource as Resources;
const names = (resources: Resources, type: string) => Object.values(resources[type] ?? {}).map((r) => r.name ?? r.bucket).sort();
const clash = (what: string, name: string, first: string, second: string) =>
  `the Mixpanel exports ${first} and ${second} would both make the ${what} "${name}", and AWS refuses the second at apply, after the first export is half made`;
/** A message's line up to its prop and value (`  1. bucketName = "Bad_Name"`), without the rule and fix. */
const propAndValue = (line: string) => line.replace(/^(.*? = (?:"[^"]*"|\([^)]*\)|\S+)): .*$/, "$1");
const PREFIX_FIX = 'give one of them a namePrefix, e.g. namePrefix: "events-" (it prefixes every name the export derives)';

describe("two exports of one app: a clash of names is refused at synth", () => {
  test("without prefixes: every name both would make, with both paths and the fix", () => {
    const stack = userStack();
    new MixpanelS3Export(stack, "events", props({ encryption: "KMS", createKmsKey: true }));
    expect(thrownMessage(() => new MixpanelS3Export(stack, "sandbox", props({ bucketName: "acme-sandbox", encryption: "KMS", createKmsKey: true })))).toBe([
      "mixpanel-s3-export: 4 invalid props; nothing was synthesized.",
      `  1. roleName = "mixpanel-export": ${clash("IAM role", "mixpanel-export", "analytics/events", "analytics/sandbox")}. Fix: ${PREFIX_FIX}, or its own roleName`,
      `  2. namePrefix = "": ${clash("IAM policy", "mixpanel-export-data-access", "analytics/events", "analytics/sandbox")}. Fix: ${PREFIX_FIX}`,
      `  3. namePrefix = "": ${clash("IAM policy", "mixpanel-export-kms", "analytics/events", "analytics/sandbox")}. Fix: ${PREFIX_FIX}`,
      `  4. namePrefix = "": ${clash("KMS alias", "alias/mixpanel-export", "analytics/events", "analytics/sandbox")}. Fix: ${PREFIX_FIX}`,
    ].join("\n"));
  });

  test("a distinct roleName still leaves the policy names equal", () => {
    const stack = userStack();
    new MixpanelS3Export(stack, "events", props());
    expect(thrownMessage(() => new MixpanelS3Export(stack, "sandbox", props({ bucketName: "acme-sandbox", roleName: "sandbox-export" })))).toBe([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      `  1. namePrefix = "": ${clash("IAM policy", "mixpanel-export-data-access", "analytics/events", "analytics/sandbox")}. Fix: ${PREFIX_FIX}`,
    ].join("\n"));
  });

  test("the same bucket name, even with prefixes", () => {
    const stack = userStack();
    new MixpanelS3Export(stack, "events", props({ namePrefix: "events-" }));
    expect(thrownMessage(() => new MixpanelS3Export(stack, "sandbox", props({ namePrefix: "sandbox-" })))).toBe([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      `  1. bucketName = "acme-mixpanel-export": ${clash("S3 bucket", "acme-mixpanel-export", "analytics/events", "analytics/sandbox")}. Fix: give each export its own bucketName`,
    ].join("\n"));
  });

  test("the Glue part's names and database", () => {
    const stack = userStack();
    new MixpanelS3Export(stack, "events", props({ namePrefix: "events-", glueDatabase: "mixpanel", redshiftRole: true }));
    const message = thrownMessage(() => new MixpanelS3Export(stack, "sandbox", props({ bucketName: "acme-sandbox", namePrefix: "events-", roleName: "sandbox", glueDatabase: "mixpanel" })));
    expect(message.split("\n").map((line) => line.replace(/: the Mixpanel exports .*/, ""))).toEqual([
      "mixpanel-s3-export: 4 invalid props; nothing was synthesized.",
      '  1. namePrefix = "events-"',
      '  2. glueDatabase = "mixpanel"',
      '  3. namePrefix = "events-"',
      '  4. namePrefix = "events-"',
    ]);
    for (const name of ["events-mixpanel-export-data-access", "mixpanel", "events-mixpanel-glue", "events-mixpanel-glue-access"]) expect(message).toContain(`"${name}"`);
  });

  test("with prefixes and buckets of their own, both synthesize; the first keeps the names it has alone", () => {
    const alone = userStack();
    new MixpanelS3Export(alone, "events", props());
    const stack = userStack();
    new MixpanelS3Export(stack, "events", props());
    new MixpanelS3Export(stack, "sandbox", props({ bucketName: "acme-sandbox", namePrefix: "sandbox-" }));
    const both = resourcesOf(stack);
    expect(names(both, "aws_iam_role")).toEqual(["mixpanel-export", "sandbox-mixpanel-export"]);
    expect(names(both, "aws_iam_policy")).toEqual(["mixpanel-export-data-access", "sandbox-mixpanel-export-data-access"]);
    const first = (resources: Resources) => Object.fromEntries(Object.entries(resources).map(([type, byName]) =>
      [type, Object.fromEntries(Object.entries(byName).filter(([name]) => name.startsWith("events_")))]));
    expect(first(both)).toEqual(first(resourcesOf(alone)));
  });

  test("two exports may refer to one existing bucket they do not configure", () => {
    const stack = userStack();
    new MixpanelS3Export(stack, "events", props({ createBucket: false, namePrefix: "events-" }));
    expect(() => new MixpanelS3Export(stack, "sandbox", props({ createBucket: false, namePrefix: "sandbox-" }))).not.toThrow();
  });

  test("across stacks: IAM names clash in one account (providers that differ only in region), KMS aliases only in one region", () => {
    const app = Testing.app();
    new MixpanelS3Export(userStack("us-east-1", app, "east"), "mixpanel", props({ encryption: "KMS", createKmsKey: true }));
    const message = thrownMessage(() => new MixpanelS3Export(userStack("eu-west-1", app, "west"), "mixpanel",
      props({ bucketName: "acme-west", region: "eu-west-1", encryption: "KMS", createKmsKey: true })));
    expect(message.split("\n").map((line) => /would both make the (.*?), and/.exec(line)?.[1] ?? line)).toEqual([
      "mixpanel-s3-export: 3 invalid props; nothing was synthesized.",
      'IAM role "mixpanel-export"', 'IAM policy "mixpanel-export-data-access"', 'IAM policy "mixpanel-export-kms"',
    ]);
    expect(message).toContain("the Mixpanel exports east/mixpanel and west/mixpanel");
  });

  test("across stacks whose providers reach other accounts (another profile), nothing clashes", () => {
    const app = Testing.app();
    const prod = new TerraformStack(app, "prod");
    new AwsProvider(prod, "aws", { region: "us-east-1", profile: "prod" });
    new MixpanelS3Export(prod, "mixpanel", props({ encryption: "KMS", createKmsKey: true }));
    const staging = new TerraformStack(app, "staging");
    new AwsProvider(staging, "aws", { region: "us-east-1", profile: "staging" });
    expect(() => new MixpanelS3Export(staging, "mixpanel", props({ bucketName: "acme-staging", encryption: "KMS", createKmsKey: true }))).not.toThrow();
  });

  test("names that are Terraform values are left to plan", () => {
    const stack = userStack();
    const roleName = new TerraformVariable(stack, "role_name", { type: "string" }).stringValue;
    new MixpanelS3Export(stack, "events", props({ roleName, namePrefix: "events-" }));
    expect(() => new MixpanelS3Export(stack, "sandbox", props({ bucketName: "acme-sandbox", roleName, namePrefix: "sandbox-" }))).not.toThrow();
  });
});

describe("provider: the construct on a provider of its own", () => {
  const euStack = () => {
    const stack = userStack("us-east-1");
    return { stack, eu: new AwsProvider(stack, "eu", { alias: "eu", region: "eu-west-3" }) };
  };

  test("every resource and data source uses it; region is the provider's", () => {
    const { stack, eu } = euStack();
    const exported = new MixpanelS3Export(stack, "mixpanel", props({ provider: eu, encryption: "KMS", createKmsKey: true, glueDatabase: "mixpanel", redshiftRole: true }));
    expect(exported.region).toBe("eu-west-3");
    const json = parse(Testing.synth(stack));
    const blocks = [...Object.values(json.resource as Resources), ...Object.values((json.data ?? {}) as Resources)].flatMap((byName) => Object.values(byName));
    expect(blocks.length).toBeGreaterThan(15);
    expect([...new Set(blocks.map((block) => block.provider))]).toEqual(["aws.eu"]);
    // No region check: the region is the provider's own.
    expect(json.data).toBeUndefined();
    const gluePolicy = Object.values((json.resource as Resources).aws_iam_policy).find((p) => p.name === "mixpanel-glue-access")!;
    expect(String(gluePolicy.policy)).toContain("arn:aws:glue:eu-west-3:*:database/mixpanel");
  });

  test("region defaults to the stack's default provider's", () => {
    const exported = new MixpanelS3Export(userStack("eu-west-1"), "mixpanel", props());
    expect(exported.region).toBe("eu-west-1");
  });

  test("a given region that disagrees with the provider's fails at synth, naming both", () => {
    const { stack, eu } = euStack();
    expect(thrownMessage(() => new MixpanelS3Export(stack, "mixpanel", props({ provider: eu, region: "us-east-1" })))).toBe([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      '  1. region = "us-east-1": the bucket\'s region is given as us-east-1, but the AWS provider the construct uses is configured for eu-west-3, ' +
        "where the bucket and roles are made. Fix: leave region out (the provider's region is taken), set it to the provider's region, or pass a provider configured for the region you meant",
    ].join("\n"));
  });

  test("a provider region that is a Terraform value: region is that value, or, given, checked at plan by a postcondition", () => {
    const stack = new TerraformStack(Testing.app(), "analytics");
    const region = new TerraformVariable(stack, "region", { type: "string" });
    const provider = new AwsProvider(stack, "aws", { region: region.stringValue });
    expect(new MixpanelS3Export(stack, "taken", props({ namePrefix: "a-", bucketName: "acme-a" })).region).toBe(provider.region);
    new MixpanelS3Export(stack, "given", props({ namePrefix: "b-", bucketName: "acme-b", region: "eu-west-1" }));
    const checks = Object.values((parse(Testing.synth(stack)).data as Resources).aws_region);
    expect(checks.map((check) => (check.lifecycle as { postcondition: { condition: string }[] }).postcondition[0].condition))
      .toEqual([`\${${providerRegionExpression("self")} == "eu-west-1"}`]);
  });

  test("a provider that names no region: region is the one it is configured with at plan, read by a data source", () => {
    const stack = new TerraformStack(Testing.app(), "analytics");
    new AwsProvider(stack, "aws", {});
    const exported = new MixpanelS3Export(stack, "mixpanel", props());
    const json = parse(Testing.synth(stack));
    const [regionData] = Object.keys((json.data as Resources).aws_region);
    expect((json.data as Resources).aws_region[regionData]).toEqual({});
    new TerraformOutput(stack, "region", { value: exported.region });
    expect((parse(Testing.synth(stack)).output as Record<string, { value: string }>).region.value)
      .toBe(`\${${providerRegionExpression(`data.aws_region.${regionData}`)}}`);
  });

  test("a provider of another stack, or one that is no AWS provider, is refused", () => {
    const app = Testing.app();
    const other = userStack("us-east-1", app, "other");
    const foreign = new AwsProvider(other, "eu", { alias: "eu", region: "eu-west-3" });
    const stack = userStack("us-east-1", app, "analytics");
    expect(thrownMessage(() => new MixpanelS3Export(stack, "mixpanel", props({ provider: foreign })))).toBe([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      '  1. provider = "other/eu": the provider is in stack other, but the construct is in stack analytics; a resource can only use a provider of its own stack. Fix: pass an AwsProvider of the construct\'s stack',
    ].join("\n"));
    const notAws = new Construct(stack, "not-a-provider");
    expect(thrownMessage(() => new MixpanelS3Export(stack, "again", props({ provider: notAws as never })))).toContain(
      '1. provider = "analytics/not-a-provider": must be an AwsProvider (from @cdktf/provider-aws/lib/provider). Fix: pass the AWS provider the construct\'s resources should use');
  });
});

describe("references and handles", () => {
  test("bucketName and bucketArn are references to the created bucket: the user's resources order after it", () => {
    const stack = userStack();
    const exported = new MixpanelS3Export(stack, "mixpanel", props());
    new S3Object(stack, "readme", { bucket: exported.bucketName, key: "README.txt", content: "Mixpanel's exports" });
    new IamPolicy(stack, "readers", { name: "readers", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${exported.bucketArn}/*` }] }) });
    const resources = resourcesOf(stack);
    const [bucket] = Object.keys(resources.aws_s3_bucket);
    expect(resources.aws_s3_object.readme.bucket).toBe(`\${aws_s3_bucket.${bucket}.bucket}`);
    expect(JSON.parse(String(resources.aws_iam_policy.readers.policy)).Statement[0].Resource).toBe(`\${aws_s3_bucket.${bucket}.arn}/*`);
    expect(exported.bucket).toBeDefined();
    expect(exported.exportBucket.bucketName).toBe("acme-mixpanel-export");
  });

  test("for an existing bucket they are the given name and its ARN", () => {
    const exported = new MixpanelS3Export(userStack(), "mixpanel", props({ createBucket: false }));
    expect([exported.bucketName, exported.bucketArn, exported.bucket]).toEqual(["acme-mixpanel-export", "arn:aws:s3:::acme-mixpanel-export", undefined]);
  });

  test("the roles and policies are typed handles", () => {
    const single = new MixpanelS3Export(userStack(), "mixpanel", props({ encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }));
    expect(single.role).toBeInstanceOf(IamRole);
    expect(single.role).toBe(single.roles[0].role);
    expect(single.dataPolicies.map((policy) => policy.node.id)).toEqual(["data-policy"]);
    expect(single.kmsPolicy?.node.id).toBe("kms-policy");
    const scoped = new MixpanelS3Export(userStack(), "mixpanel", props({
      projects: [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "1002" }], rolePerProject: true, scopeToProjectPrefix: true,
    }));
    expect([scoped.role, scoped.roles.length, scoped.kmsPolicy]).toEqual([undefined, 2, undefined]);
    expect(scoped.dataPolicies.map((policy) => policy.node.id)).toEqual([`data-policy-${TOKEN}`, `data-policy-${TOKEN_B}`]);
  });
});

describe("grantRead: one of the team's own roles reads the exports", () => {
  const reader = (scope: Construct, id = "reader") => new IamRole(scope, id, { name: `analytics-${id}`, assumeRolePolicy: "{}" });

  test.each([
    ["no encryption", {}, undefined],
    ["a customer key", { encryption: "KMS" as const, kmsKeyArn: CUSTOMER_KEY_ARN }, CUSTOMER_KEY_ARN],
    ["a created key", { encryption: "KMS" as const, createKmsKey: true }, "created"],
  ])("with %s: one inline policy on that role, read only", (_name, overrides, key) => {
    const stack = userStack();
    const exported = new MixpanelS3Export(stack, "mixpanel", props({ namePrefix: "events-", ...overrides }));
    exported.grantRead(reader(stack));
    const resources = resourcesOf(stack);
    const grants = Object.values(resources.aws_iam_role_policy);
    const keyArn = key === "created" ? `\${aws_kms_key.${Object.keys(resources.aws_kms_key)[0]}.arn}` : key;
    expect(grants).toEqual([{ name: "events-mixpanel-export-read", role: "${aws_iam_role.reader.name}", policy: expect.any(String) }]);
    expect(JSON.parse(String(grants[0].policy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListMixpanelExports", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-mixpanel-export" },
        { Sid: "ReadMixpanelExports", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-mixpanel-export/*" },
        ...(keyArn === undefined ? [] : [{ Sid: "DecryptMixpanelExports", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn }]),
      ],
    });
    expect(JSON.parse(String(grants[0].policy))).toEqual(JSON.parse(JSON.stringify(exportReaderPolicy("acme-mixpanel-export", keyArn))));
  });

  test("the grant goes on the role's provider; a second grant to a role of the same ID needs its own ID", () => {
    const stack = userStack();
    const eu = new AwsProvider(stack, "eu", { alias: "eu", region: "eu-west-3" });
    const exported = new MixpanelS3Export(stack, "mixpanel", props());
    const euReader = reader(stack);
    euReader.provider = eu;
    exported.grantRead(euReader);
    expect(Object.values(resourcesOf(stack).aws_iam_role_policy).map((grant) => grant.provider)).toEqual(["aws.eu"]);
    const sameId = reader(new Construct(stack, "team"));
    expect(thrownMessage(() => exported.grantRead(sameId))).toBe([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      '  1. grantRead(role) = "analytics/team/reader": this export already grants a role with the ID "reader" (the ID names the grant\'s Terraform resource). Fix: give this grant its own ID: grantRead(role, "<id>")',
    ].join("\n"));
    expect(exported.grantRead(sameId, "team-reader").node.id).toBe("read-team-reader");
  });

  test("review lists the grant with the role's other access, and adding it is a widening", () => {
    const build = (grant: boolean) => {
      const stack = userStack();
      const exported = new MixpanelS3Export(stack, "mixpanel", props());
      const role = reader(stack);
      if (grant) exported.grantRead(role);
      return readStack("analytics", JSON.parse(Testing.synth(stack)));
    };
    const granted = build(true);
    expect(renderReport([granted])).toContain([
      "### Role `analytics-reader`",
      "",
      "| Effect | Actions | Resource | Scope | Conditions | Policy |",
      "|---|---|---|---|---|---|",
      "| Allow | `s3:ListBucket` | `arn:aws:s3:::acme-mixpanel-export` | the bucket itself | none | `inline policy mixpanel-export-read` |",
      "| Allow | `s3:GetObject` | `arn:aws:s3:::acme-mixpanel-export/*` | every object | none | `inline policy mixpanel-export-read` |",
    ].join("\n"));
    expect(diffStacks(build(false), granted)).toEqual([
      { kind: "widening", subject: "role `analytics-reader`", text: "may now `s3:ListBucket` on `arn:aws:s3:::acme-mixpanel-export` (the bucket itself)" },
      { kind: "widening", subject: "role `analytics-reader`", text: "may now `s3:GetObject` on `arn:aws:s3:::acme-mixpanel-export/*` (every object)" },
    ]);
  });

  test("something other than an IamRole is refused", () => {
    const stack = userStack();
    const exported = new MixpanelS3Export(stack, "mixpanel", props());
    expect(thrownMessage(() => exported.grantRead("analytics-reader" as never))).toContain(
      '1. grantRead(role) = "analytics-reader": grantRead takes an IamRole (from @cdktf/provider-aws/lib/iam-role) of the construct\'s stack.');
  });
});

describe("per-project role addresses never depend on token order", () => {
  const roleAddresses = (stack: TerraformStack) => Object.keys(resourcesOf(stack).aws_iam_role).sort();

  test("literal tokens keep the addresses of every release so far", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new MixpanelS3Export(stack, "mixpanel", props({
      region: "us-east-1",
      projects: [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "1002" }], rolePerProject: true, scopeToProjectPrefix: true,
    }));
    const resources = resourcesOf(stack);
    // Pinned: these addresses are users' state (synthesized by 0.2.0, at 989f852, from the same stack). Changing
    // one replaces a role whose ARN Mixpanel knows.
    expect(Object.fromEntries(Object.entries(resources).map(([type, byName]) => [type, Object.keys(byName).sort()]))).toEqual({
      aws_iam_policy: ["mixpanel_data-policy-0123456789abcdef0123456789abcdef_C41038F8", "mixpanel_data-policy-fedcba9876543210fedcba9876543210_5E606760"],
      aws_iam_role: ["mixpanel_role-0123456789abcdef0123456789abcdef_role_7EE24262", "mixpanel_role-fedcba9876543210fedcba9876543210_role_9BBE713B"],
      aws_iam_role_policy_attachment: [
        "mixpanel_role-0123456789abcdef0123456789abcdef_attach-data-policy_08CCC24F", "mixpanel_role-fedcba9876543210fedcba9876543210_attach-data-policy_DE33564D",
      ],
      aws_s3_bucket: ["mixpanel_bucket_28015DEC"],
      aws_s3_bucket_lifecycle_configuration: ["mixpanel_bucket_lifecycle_2FD9E53D"],
      aws_s3_bucket_ownership_controls: ["mixpanel_bucket_ownership_02C7C8F8"],
      aws_s3_bucket_policy: ["mixpanel_bucket_tls-only-policy_962805A8"],
      aws_s3_bucket_public_access_block: ["mixpanel_bucket_public-access-block_FFC359E2"],
    });
  });

  test.each([
    ["by key", [{ key: "web" }, { key: "ios" }, {}], ["ios", "web", TOKEN_C]],
    ["by literal project ID", [{ projectId: "1001" }, { projectId: "1002" }, { projectId: "1003" }], ["1001", "1002", TOKEN_C]],
  ])("tokens that are Terraform values are keyed %s (a literal token by itself); adding a variable first changes nothing", (_how, keys, expected) => {
    const build = (extraVariableFirst: boolean) => {
      const stack = userStack();
      if (extraVariableFirst) new TerraformVariable(stack, "unrelated", { type: "string" });
      const token = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
      new MixpanelS3Export(stack, "mixpanel", props({
        projects: [{ token: token("web"), ...keys[0] }, { token: token("ios"), ...keys[1] }, { token: TOKEN_C, ...keys[2] }], rolePerProject: true,
      }));
      return stack;
    };
    const addresses = roleAddresses(build(false));
    expect(addresses.map((address) => address.replace(/_[0-9A-F]{8}$/, ""))).toEqual(expected.map((key) => `mixpanel_role-${key}_role`).sort());
    expect(roleAddresses(build(true))).toEqual(addresses);
  });

  test("a Terraform-value token with neither key nor literal project ID is refused, with the fix", () => {
    const stack = userStack();
    const token = new TerraformVariable(stack, "web", { type: "string" }).stringValue;
    expect(thrownMessage(() => new MixpanelS3Export(stack, "mixpanel", props({ projects: [{ token }, { token: TOKEN }], rolePerProject: true })))).toBe([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      "  1. projects[].key = (not set): with rolePerProject, each role's Terraform address is made from the project's key, its literal token or its literal project ID; " +
        "this project's token and project ID are Terraform values, whose order of creation would decide the address (adding a variable could replace the role) (project 1 of 2). " +
        'Fix: give the project a key (e.g. key: "web"), or its project ID as text; an address made by a release before 0.2.0 from such a token is moved to the new one',
    ].join("\n"));
  });

  test("keys are short fixed names, each once", () => {
    const stack = userStack();
    const token = new TerraformVariable(stack, "web", { type: "string" }).stringValue;
    const message = thrownMessage(() => new MixpanelS3Export(stack, "mixpanel", props({
      projects: [{ token: TOKEN, key: "web app" }, { token: TOKEN_B, key: token }, { token: TOKEN_C, key: "ios" }, { token: "00000000000000000000000000000000", key: "ios" }],
      rolePerProject: true,
    })));
    expect(message.split("\n").map(propAndValue)).toEqual([
      "mixpanel-s3-export: 3 invalid props; nothing was synthesized.",
      '  1. projects[].key = "web app"',
      "  2. projects[].key = (a Terraform value, checked at plan)",
      '  3. projects[].key = "ios"',
    ]);
  });
});

describe("messages for library users", () => {
  test("name the prop, show a Terraform value as one, and list each problem once", () => {
    const stack = userStack();
    const key = new TerraformVariable(stack, "key", { type: "string" }).stringValue;
    const message = thrownMessage(() => new MixpanelS3Export(stack, "mixpanel", props({ bucketName: "Bad_Name", encryption: "AES", kmsKeyArn: key })));
    expect(message).not.toContain("TfToken");
    expect(message).not.toContain("MIXPANEL_");
    expect(message.split("\n").map(propAndValue)).toEqual([
      "mixpanel-s3-export: 3 invalid props; nothing was synthesized.",
      '  1. bucketName = "Bad_Name"',
      '  2. bucketName = "Bad_Name"',
      "  3. kmsKeyArn = (a Terraform value, checked at plan)",
    ]);
  });

  test("missing props from plain JavaScript: the same error as bad ones, no TypeError", () => {
    const missing = [
      "mixpanel-s3-export: 2 invalid props; nothing was synthesized.",
      "  1. bucketName = (not set): a bucket name is required. Fix: use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export",
      "  2. projects[].token = (not set): at least one Mixpanel project token is required. Fix: copy the token from Mixpanel's Project Settings > Overview",
    ].join("\n");
    const Untyped = MixpanelS3Export as unknown as new (scope: Construct, id: string, props?: unknown) => MixpanelS3Export;
    expect(thrownMessage(() => new Untyped(userStack(), "x"))).toBe(missing);
    expect(thrownMessage(() => new Untyped(userStack(), "x", null))).toBe(missing);
    expect(thrownMessage(() => new Untyped(userStack(), "x", {}))).toBe(missing);
    expect(thrownMessage(() => new Untyped(userStack(), "x", { projects: "<string>", bucketName: "acme-x" }))).toBe(
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.\n" +
      "  1. projects[].token = \"<string>\": at least one Mixpanel project token is required. Fix: copy the token from Mixpanel's Project Settings > Overview");
  });

  test.each(["projects", "bucketName", "region", "provider", "createBucket", "manageExistingBucket", "adopt", "encryption", "kmsKeyArn", "createKmsKey",
    "bucketKey", "rolePerProject", "scopeToProjectPrefix", "roleName", "rolePath", "permissionsBoundaryArn", "maxSessionDuration", "namePrefix", "tags",
    "blockPublicAccess", "enforceBucketOwner", "tlsOnly", "preventDestroy", "abortIncompleteUploadsDays", "eventsTransitionDays", "eventsStorageClass",
    "eventsExpirationDays", "versioning", "noncurrentVersionExpirationDays", "accessLogBucket", "accessLogPrefix", "glueDatabase", "createGlueDatabase",
    "glueScopeToDatabase", "redshiftRole"])("%s: null is refused, naming the prop", (prop) => {
    const message = thrownMessage(() => new MixpanelS3Export(userStack(), "x", { ...props(), region: "us-east-1", [prop]: null } as never));
    expect(message).toMatch(new RegExp(`\\n  1\\. ${prop === "projects" ? "projects\\[\\]\\.token" : prop} = null: `));
  });

  test("warnings are Annotations of the construct, one per warning", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const exported = new MixpanelS3Export(userStack(), "mixpanel", props({ bucketName: "acme.exports", projects: [{ token: "not-a-mixpanel-token" }] }));
      expect(exported.node.metadata.map(({ type, data }) => [type, propAndValue(String(data))])).toEqual([
        ["@cdktf/warn", 'mixpanel-s3-export: bucketName = "acme.exports"'],
        ["@cdktf/warn", 'mixpanel-s3-export: projects[].token = "not-a-mixpanel-token"'],
      ]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe("accounts, name case, token regions, repeated grants and stray keys", () => {
  test("providers assuming roles in two accounts do not clash; the same role does", () => {
    const build = (arnA: string, arnB: string) => () => {
      const app = Testing.app();
      for (const [id, roleArn] of [["prod", arnA], ["staging", arnB]]) {
        const stack = new TerraformStack(app, id);
        new AwsProvider(stack, "aws", { region: "us-east-1", assumeRole: [{ roleArn }] });
        new MixpanelS3Export(stack, "mixpanel", props({ bucketName: `acme-${id}` }));
      }
    };
    expect(build("arn:aws:iam::111111111111:role/deploy", "arn:aws:iam::222222222222:role/deploy")).not.toThrow();
    expect(build("arn:aws:iam::111111111111:role/deploy", "arn:aws:iam::111111111111:role/deploy")).toThrow(/would both make the IAM role "mixpanel-export"/);
  });

  test("IAM names clash ignoring case; a refused export claims nothing", () => {
    const stack = userStack();
    new MixpanelS3Export(stack, "a", props({ namePrefix: "a-" }));
    expect(() => new MixpanelS3Export(stack, "b", props({ bucketName: "acme-b", namePrefix: "A-" }))).toThrow(/would both make the IAM role "a-mixpanel-export"/);
    expect(() => new MixpanelS3Export(stack, "c", props({ bucketName: "acme-c", namePrefix: "c-", roleName: "b-role" }))).not.toThrow();
  });

  test("a region given as a Terraform value is checked at plan against a literal provider region", () => {
    const stack = userStack("eu-west-3");
    const region = new TerraformVariable(stack, "region", { type: "string" }).stringValue;
    new MixpanelS3Export(stack, "mixpanel", props({ region }));
    const [check] = Object.values((parse(Testing.synth(stack)).data as Resources).aws_region);
    expect((check.lifecycle as { postcondition: { condition: string }[] }).postcondition[0].condition)
      .toBe(`\${${providerRegionExpression("self")} == var.region}`);
  });

  test("grantRead refuses a role granted twice, or a role of another account", () => {
    const stack = userStack();
    const other = new AwsProvider(stack, "other", { alias: "other", region: "us-east-1", profile: "other-account" });
    const exported = new MixpanelS3Export(stack, "mixpanel", props());
    const reader = new IamRole(stack, "reader", { name: "reader", assumeRolePolicy: "{}" });
    exported.grantRead(reader);
    expect(thrownMessage(() => exported.grantRead(reader, "again"))).toContain('grantRead(role) = "analytics/reader": this export already grants that role read access');
    const foreign = new IamRole(stack, "foreign", { name: "foreign", assumeRolePolicy: "{}", provider: other });
    expect(thrownMessage(() => exported.grantRead(foreign))).toContain("the role's AWS provider reaches another account than the export's");
  });

  test("projects[].key without rolePerProject is refused", () => {
    expect(thrownMessage(() => new MixpanelS3Export(userStack(), "x", props({ projects: [{ token: TOKEN, key: "web" }] }))))
      .toContain('projects[].key = ["web"]: a project\'s key names its own role, which only rolePerProject makes');
  });
});

test("per-project roles of 0.1 keyed by Terraform-value tokens are moved to their new addresses, none left behind", () => {
  // A process of its own: a token's text depends on how many were made before it in the process.
  const root = path.join(__dirname, "..");
  const synthesized = JSON.parse(execFileSync(process.execPath, ["--require", "./scripts/swc-register.js", "__tests__/fixtures/upgrades/token-keyed-roles.ts"], { cwd: root, encoding: "utf8" }));
  const before = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "upgrades", "token-keyed-roles.0.1.json"), "utf8"));
  const addressesOf = (json: { resource: Resources }, types: string[]) => types.flatMap((type) => Object.keys(json.resource[type] ?? {}).map((name) => `${type}.${name}`)).sort();
  const roleTypes = ["aws_iam_role", "aws_iam_role_policy_attachment"];
  const moved = synthesized.moved as { from: string; to: string }[];
  expect(moved.map((move) => move.from).sort()).toEqual(addressesOf(before, roleTypes));
  expect(moved.map((move) => move.to).sort()).toEqual(addressesOf(synthesized, roleTypes));
  // Everything else keeps its address.
  expect(addressesOf(synthesized, ["aws_iam_policy", "aws_s3_bucket"])).toEqual(addressesOf(before, ["aws_iam_policy", "aws_s3_bucket"]));
});
