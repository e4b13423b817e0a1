import * as fs from "fs";
import * as path from "path";
import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../../src/mixpanel";
import { LoadedPlan, planAtModules } from "../../src/review/input";
import { JsonObject } from "../../src/review/terraform-json";
import { cli, tempDir, writeCdktfOut } from "./helpers";

/**
 * `review plan.json --module <address>`: a root that calls one export module per environment, reviewed one
 * module call at a time. The plans are hand-written in the shape `terraform show -json` gives (checked against
 * a real plan of a root like it): `resource_changes` with before and after, `prior_state` with what is deployed
 * (data sources included), `planned_values`, and the `configuration` with its nested `module_calls`.
 */

const TOKENS = { prod: "0123456789abcdef0123456789abcdef", dev: "fedcba9876543210fedcba9876543210", dev2: "00112233445566778899aabbccddeeff", data: "ffeeddccbbaa99887766554433221100" };
const ACCOUNT = "111122223333";

/** One call of the export module: a bucket, a role Mixpanel may assume with its inline data policy, and with `worker`, a role of the team's own. */
interface ExportCall {
  readonly module: string;
  readonly bucket: string;
  readonly tokens: readonly string[];
  /** The role's name; default: `mixpanel-<bucket>`. */
  readonly roleName?: string;
  readonly worker?: boolean;
}

interface Resource {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number;
  readonly values: Record<string, unknown>;
}

const document = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const trust = (tokens: readonly string[]) => document({
  Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: MIXPANEL_EXPORT_PRINCIPAL_ARN },
  Condition: { StringEquals: { "sts:ExternalId": tokens.length === 1 ? tokens[0] : tokens } },
});
const dataPolicy = (bucket: string) => document({
  Sid: "MixpanelS3AccessStatement", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"],
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
});
const role = (name: string, assumeRolePolicy: string) => ({
  arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, assume_role_policy: assumeRolePolicy, description: null, force_detach_policies: false,
  id: name, max_session_duration: 3600, name, path: "/", permissions_boundary: null, tags: null,
});

function resource(module: string, mode: Resource["mode"], type: string, name: string, values: Record<string, unknown>, index?: number): Resource {
  const local = `${mode === "data" ? "data." : ""}${type}.${name}${index === undefined ? "" : `[${index}]`}`;
  return { address: module === "" ? local : `${module}.${local}`, ...(module === "" ? {} : { module_address: module }), mode, type, name, ...(index === undefined ? {} : { index }), values };
}

/** What one call of the export module holds once applied. */
function exportResources(call: ExportCall): Resource[] {
  const roleName = call.roleName ?? `mixpanel-${call.bucket}`;
  return [
    resource(call.module, "data", "aws_region", "current", { description: "US East (N. Virginia)", endpoint: "ec2.us-east-1.amazonaws.com", id: "us-east-1", name: "us-east-1" }),
    resource(call.module, "managed", "aws_iam_role", "this", role(roleName, trust(call.tokens))),
    resource(call.module, "managed", "aws_iam_role_policy", "this", { id: `${roleName}:mixpanel-data`, name: "mixpanel-data", name_prefix: "", policy: dataPolicy(call.bucket), role: roleName }),
    resource(call.module, "managed", "aws_s3_bucket", "this", { arn: `arn:aws:s3:::${call.bucket}`, bucket: call.bucket, force_destroy: false, id: call.bucket, tags: null }),
    ...(call.worker ? [resource(call.module, "managed", "aws_iam_role", "worker", role(`${call.bucket}-worker`, document({
      Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" },
    })), 0)] : []),
  ];
}

/** The root's own resources: a CI role and a bucket for build artifacts, which are not Mixpanel's. */
const ROOT_RESOURCES: Resource[] = [
  resource("", "managed", "aws_iam_role", "ci", role("ci", document({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }))),
  resource("", "managed", "aws_s3_bucket", "artifacts", { arn: "arn:aws:s3:::acme-artifacts", bucket: "acme-artifacts", force_destroy: false, id: "acme-artifacts", tags: null }),
];

/** What a created resource's `after` leaves for apply: the attributes AWS assigns. */
const ASSIGNED: Record<string, string[]> = { aws_iam_role: ["arn", "id", "unique_id"], aws_iam_role_policy: ["id"], aws_s3_bucket: ["arn", "id"] };

/**
 * A plan of `planned` against the `deployed` state: no-op where a resource is unchanged, replace where its
 * name or role changes (both force a new IAM object), update where other values differ, create or delete where
 * it is on one side only. Data sources are read at plan, into `prior_state`.
 */
function planOf(deployed: readonly Resource[], planned: readonly Resource[]): object {
  const managed = (resources: readonly Resource[]) => resources.filter((r) => r.mode === "managed");
  const before = new Map(managed(deployed).map((r) => [r.address, r]));
  const after = new Map(managed(planned).map((r) => [r.address, r]));
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
  const resource_changes = addresses.map((address) => {
    const [was, now] = [before.get(address), after.get(address)];
    const { values: _values, ...identity } = (now ?? was)!;
    const renamed = was && now && (was.values.name !== now.values.name || was.values.role !== now.values.role);
    const actions = !was ? ["create"] : !now ? ["delete"] : renamed ? ["delete", "create"]
      : JSON.stringify(was.values) === JSON.stringify(now.values) ? ["no-op"] : ["update"];
    const assigned = now && (!was || renamed) ? ASSIGNED[now.type] ?? [] : [];
    const afterValues = now ? Object.fromEntries(Object.entries(now.values).filter(([key]) => !assigned.includes(key))) : null;
    return {
      ...identity, provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions, before: was?.values ?? null, after: afterValues,
        after_unknown: Object.fromEntries(assigned.map((key) => [key, true])), before_sensitive: was ? {} : false, after_sensitive: now ? {} : false,
      },
    };
  });
  const reads = planned.filter((r) => r.mode === "data");
  return {
    format_version: "1.2", terraform_version: "1.11.4",
    planned_values: { root_module: moduleTree([...managed(planned), ...reads]) },
    resource_changes,
    prior_state: { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: moduleTree([...managed(deployed), ...reads]) } },
    configuration: CONFIGURATION,
    applyable: true, complete: true, errored: false,
  };
}

/** Resources as `planned_values` and `prior_state` nest them: by module, each module with its own address. */
function moduleTree(resources: readonly Resource[], address = ""): object {
  const values = (r: Resource) => ({
    address: r.address, mode: r.mode, type: r.type, name: r.name, ...(r.index === undefined ? {} : { index: r.index }),
    provider_name: "registry.terraform.io/hashicorp/aws", schema_version: 0, values: r.values, sensitive_values: {},
  });
  const own = resources.filter((r) => (r.module_address ?? "") === address);
  const under = resources.map((r) => r.module_address ?? "").filter((m) => m !== address && (address === "" || m.startsWith(`${address}.`)));
  // The next step down from `address` to each module under it: `module.team["data"]` on the way to its `module.export[0]`.
  const childOf = (m: string) => (m.indexOf(".module.", address.length + 1) < 0 ? m : m.slice(0, m.indexOf(".module.", address.length + 1)));
  const children = [...new Set(under.map(childOf))].sort();
  return {
    ...(address === "" ? {} : { address }),
    resources: own.map(values),
    ...(children.length > 0 ? { child_modules: children.map((child) => moduleTree(resources, child)) } : {}),
  };
}

const PROD: ExportCall = { module: "module.prod", bucket: "acme-prod", tokens: [TOKENS.prod] };
const DEV_DEPLOYED: ExportCall = { module: "module.dev", bucket: "acme-dev", tokens: [TOKENS.dev], worker: true };
/** The change under review: dev's role is renamed (so replaced) and also accepts a second project's token. */
const DEV: ExportCall = { ...DEV_DEPLOYED, tokens: [TOKENS.dev, TOKENS.dev2], roleName: "mixpanel-dev" };
/** Created by this plan, two module calls down. */
const TEAM_DATA: ExportCall = { module: "module.team[\"data\"].module.export[0]", bucket: "acme-data", tokens: [TOKENS.data] };

/** The export module's configuration, as each call of it shows it. */
const EXPORT_MODULE = (providerKey: string) => ({
  resources: [
    { address: "aws_iam_role.this", mode: "managed", type: "aws_iam_role", name: "this", provider_config_key: providerKey,
      expressions: { assume_role_policy: { references: ["var.tokens"] }, name: { references: ["var.bucket"] } }, schema_version: 0 },
    { address: "aws_iam_role.worker", mode: "managed", type: "aws_iam_role", name: "worker", provider_config_key: providerKey,
      expressions: { assume_role_policy: {}, name: { references: ["var.bucket"] } }, schema_version: 0, count_expression: { references: ["var.worker"] } },
    { address: "aws_iam_role_policy.this", mode: "managed", type: "aws_iam_role_policy", name: "this", provider_config_key: providerKey,
      expressions: { name: { constant_value: "mixpanel-data" }, policy: { references: ["var.bucket", "var.bucket"] }, role: { references: ["aws_iam_role.this.name", "aws_iam_role.this"] } }, schema_version: 0 },
    { address: "aws_s3_bucket.this", mode: "managed", type: "aws_s3_bucket", name: "this", provider_config_key: providerKey,
      expressions: { bucket: { references: ["var.bucket"] } }, schema_version: 0 },
    { address: "data.aws_region.current", mode: "data", type: "aws_region", name: "current", provider_config_key: providerKey, schema_version: 0 },
  ],
  variables: { bucket: {}, tokens: {}, worker: { default: false } },
});

const call = (source: string, { bucket, tokens, worker }: ExportCall, providerKey: string, more: object = {}) => ({
  source, expressions: { bucket: { constant_value: bucket }, tokens: { constant_value: tokens }, ...(worker ? { worker: { constant_value: true } } : {}) },
  ...more, module: EXPORT_MODULE(providerKey),
});

const CONFIGURATION = {
  provider_config: {
    aws: { name: "aws", full_name: "registry.terraform.io/hashicorp/aws", expressions: { region: { constant_value: "us-east-1" } } },
    "module.team.module.export:aws": { name: "aws", full_name: "registry.terraform.io/hashicorp/aws", module_address: "module.team.module.export" },
  },
  root_module: {
    resources: [
      { address: "aws_iam_role.ci", mode: "managed", type: "aws_iam_role", name: "ci", provider_config_key: "aws", expressions: { assume_role_policy: {}, name: { constant_value: "ci" } }, schema_version: 0 },
      { address: "aws_s3_bucket.artifacts", mode: "managed", type: "aws_s3_bucket", name: "artifacts", provider_config_key: "aws", expressions: { bucket: { constant_value: "acme-artifacts" } }, schema_version: 0 },
    ],
    module_calls: {
      prod: call("./export", PROD, "aws"),
      dev: call("./export", DEV, "aws"),
      team: {
        source: "./team", for_each_expression: { constant_value: ["data"] },
        module: { module_calls: { export: call("../export", TEAM_DATA, "module.team.module.export:aws", { count_expression: { constant_value: 1 } }) } },
      },
    },
  },
};

function writePlan(name: string, plan: object): string {
  const file = path.join(tempDir(), `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

/** The whole root: prod unchanged, dev widened, the team's call created, and the root's own resources unchanged. */
const WHOLE = writePlan("plan", planOf(
  [...ROOT_RESOURCES, ...exportResources(PROD), ...exportResources(DEV_DEPLOYED)],
  [...ROOT_RESOURCES, ...exportResources(PROD), ...exportResources(DEV), ...exportResources(TEAM_DATA)],
));

/** The review of a plan of the same root in which only these module calls have resources: what --module must match. */
function alone(calls: { deployed: ExportCall[]; planned: ExportCall[] }): string {
  return cli("review", writePlan("plan", planOf(calls.deployed.flatMap(exportResources), calls.planned.flatMap(exportResources)))).stdout;
}

const MIXPANEL_USER = "Mixpanel's export user `arn:aws:iam::485438090326:user/mixpanel-export`";
const LEGEND = "_widening: a third party may do more, or a protection is weaker; narrowing: the reverse; neutral: neither._";
const S3_ACTIONS = "`s3:PutObject`, `s3:GetObject`, `s3:ListBucket`, `s3:DeleteObject`";

/** The report of one export module's role and bucket, after its plan line: the same for every call but the names and what the plan does to the bucket. */
function exportReport(roleName: string, bucket: string, ids: string, roleArns: string, bucketStatus: string): string[] {
  return [
    "## Who can assume each role", "",
    "| Role | Principal | Action | External ID | Other conditions |", "|---|---|---|---|---|",
    `| \`${roleName}\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | ${ids} | none |`, "",
    "## What each role may do", "",
    `### Role \`${roleName}\``, "",
    "| Effect | Actions | Resource | Scope | Conditions | Policy |", "|---|---|---|---|---|---|",
    `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::${bucket}\` | the bucket itself | none | \`inline policy mixpanel-data\` |`,
    `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::${bucket}/*\` | every object | none | \`inline policy mixpanel-data\` |`, "",
    "Prefix scoping: none, every object of the bucket (as Mixpanel's page) · Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`", "",
    "## Bucket protections", "",
    `**Bucket \`${bucket}\`**`, "",
    "| Protection | State |", "|---|---|",
    `| Bucket | ${bucketStatus} |`,
    "| Block Public Access | off: no public access block |",
    "| Object Ownership | not set here (ACLs as the bucket has them) |",
    "| TLS-only bucket policy | off: requests without TLS are not refused |",
    "| Other bucket policy statements | none |",
    "| Default encryption | not set here (S3's default: SSE-S3) |",
    "| Versioning | off |",
    "| Lifecycle rules | none |",
    "| Access logging | off |",
    "| prevent_destroy | not shown in a plan (a plan that destroys it fails when it is on) |",
    "| force_destroy | off |",
    "| Tags | none |", "",
    "## Mixpanel pipeline form", "",
    "| Field | Value |", "|---|---|",
    `| Bucket | \`${bucket}\` |`,
    "| Region | `us-east-1` |",
    `| Role, for each project token | ${roleArns} |`,
    "| Encryption | `NONE` |",
    "| KMS Key ID (empty: leave the field empty) | (empty) |",
  ];
}

describe("a root calling the export module once per environment, reviewed one call at a time", () => {
  test("module.prod, unchanged: exit 0, no changes, and the report of its own role and bucket only", () => {
    const result = cli("review", WHOLE, "--module", "module.prod");
    expect(result).toEqual({
      code: 0, stderr: "",
      stdout: [
        "# What this plan changes for Mixpanel", "",
        "No changes to what this plan grants Mixpanel or to its protections.", "",
        "# What this plan grants Mixpanel", "",
        "Plan `plan`, module `module.prod`.", "",
        ...exportReport("mixpanel-acme-prod", "acme-prod", "`0123…cdef`", "`0123…cdef`: `arn:aws:iam::111122223333:role/mixpanel-acme-prod`", "managed by this plan, unchanged"),
        "",
      ].join("\n"),
    });
  });

  test("module.dev, widened: exit 1, its changes counted alone, the plan's full address, its own other role counted", () => {
    const result = cli("review", WHOLE, "--module=module.dev");
    const arn = "`<ARN of role mixpanel-dev>` (known after apply)";
    expect(result).toEqual({
      code: 1, stderr: "",
      stdout: [
        "# What this plan changes for Mixpanel", "",
        "⚠ **3 widening**, 0 narrowing, 2 neutral. ⚠ **1 replaced or destroyed.**", "",
        "- **⚠ replaced** (neutral) · role `mixpanel-acme-dev`: replaced by role `mixpanel-dev` (`module.dev.aws_iam_role.this`): its ARN changes, so Mixpanel's exports fail until the form has the new one",
        `- **⚠ widening** · new role \`mixpanel-dev\`: may now be assumed by ${MIXPANEL_USER} (\`sts:AssumeRole\`) with external ID \`0011…eeff\`, \`fedc…3210\``,
        `- **⚠ widening** · new role \`mixpanel-dev\`: may now ${S3_ACTIONS} on \`arn:aws:s3:::acme-dev\` (the bucket itself)`,
        `- **⚠ widening** · new role \`mixpanel-dev\`: may now ${S3_ACTIONS} on \`arn:aws:s3:::acme-dev/*\` (every object)`,
        `- neutral · Mixpanel form: Role, for each project token: \`fedc…3210\`: \`arn:aws:iam::111122223333:role/mixpanel-acme-dev\` → \`0011…eeff\`: ${arn}; \`fedc…3210\`: ${arn}`, "",
        LEGEND, "",
        "# What this plan grants Mixpanel", "",
        "Plan `plan`, module `module.dev`. 1 other role of the module cannot be assumed by Mixpanel's account and is left out.", "",
        // Only the role is replaced: the bucket stays as it is.
        ...exportReport("mixpanel-dev", "acme-dev", "`0011…eeff`, `fedc…3210`", `\`0011…eeff\`: ${arn}<br>\`fedc…3210\`: ${arn}`, "managed by this plan, unchanged"),
        "",
      ].join("\n"),
    });
  });

  test("the whole plan, for comparison: every call's roles, exit 1, and the root's own role and bucket counted with the modules' others", () => {
    const result = cli("review", WHOLE);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").filter((line) => /^(⚠|No widening|Plan )/.test(line))).toEqual([
      "⚠ **6 widening**, 0 narrowing, 6 neutral. ⚠ **1 replaced or destroyed.**",
      "Plan `plan`. 2 other roles of the plan cannot be assumed by Mixpanel's account and are left out. 1 other bucket of the plan is not used by a role Mixpanel's account may assume and left out.",
    ]);
    expect(result.stdout.match(/^### Role `.*`$/gm)).toEqual(["### Role `mixpanel-acme-data`", "### Role `mixpanel-acme-prod`", "### Role `mixpanel-dev`"]);
  });

  test("each call's review is the review of a plan in which that call alone has resources; several --module flags, their union", () => {
    const cases: [string[], string, { deployed: ExportCall[]; planned: ExportCall[] }, [string, string][]][] = [
      [["--module", "module.prod"], "module `module.prod`", { deployed: [PROD], planned: [PROD] }, []],
      [["--module", "module.dev"], "module `module.dev`", { deployed: [DEV_DEPLOYED], planned: [DEV] }, [["of the module", "of the plan"]]],
      [["--module", "module.dev", "--module", "module.prod", "--module", "module.dev"], "modules `module.dev`, `module.prod`",
        { deployed: [PROD, DEV_DEPLOYED], planned: [PROD, DEV] }, [["of these modules", "of the plan"]]],
    ];
    for (const [flags, named, calls, wording] of cases) {
      const limited = cli("review", WHOLE, ...flags).stdout;
      expect(limited).toContain(`\nPlan \`plan\`, ${named}.`);
      const asWhole = wording.reduce((text, [from, to]) => text.replace(from, to), limited.replace(`\nPlan \`plan\`, ${named}.`, "\nPlan `plan`."));
      expect(asWhole).toBe(alone(calls));
    }
  });

  test("a nested address, its parent instance and the call without a key: the call two modules down, its region from its own data source", () => {
    const expected = alone({ deployed: [], planned: [TEAM_DATA] });
    expect(expected).toContain("| Region | `us-east-1` |");
    expect(expected.startsWith("# What this plan changes for Mixpanel\n\n⚠ **3 widening**, 0 narrowing, 4 neutral.\n")).toBe(true);
    for (const address of ["module.team[\"data\"].module.export[0]", "module.team[\"data\"]", "module.team"]) {
      const result = cli("review", WHOLE, "--module", address);
      expect(result.code).toBe(1);
      expect(result.stdout.replace(`\nPlan \`plan\`, module \`${address}\`.`, "\nPlan `plan`.")).toBe(expected);
    }
  });
});

describe("a call the configuration has but the plan has nothing under: reviewed as empty, exit 0, and said so", () => {
  const empty = (notes: string) => [
    "# What this plan changes for Mixpanel", "",
    "No changes to what this plan grants Mixpanel or to its protections.", "",
    "# What this plan grants Mixpanel", "",
    notes, "",
    "## Who can assume each role", "", "No role.", "",
    "## What each role may do", "", "No role.", "",
    "## Bucket protections", "", "No bucket in this plan.", "",
    "## Mixpanel pipeline form", "",
    "| Field | Value |", "|---|---|",
    "| Bucket | (none) |",
    "| Region | `us-east-1` |",
    "| Role, for each project token | (none) |",
    "| Encryption | (none) |",
    "| KMS Key ID (empty: leave the field empty) | (none) |",
    "",
  ].join("\n");

  test("an instance its for_each does not make (an environment switched off)", () => {
    expect(cli("review", WHOLE, "--module", "module.team[\"ops\"]")).toEqual({
      code: 0, stderr: "",
      stdout: empty("Plan `plan`, module `module.team[\"ops\"]`. `module.team[\"ops\"]` has no instance in this plan (its `count` or `for_each` makes none): there is nothing of it to review."),
    });
  });

  test("a call without count or for_each whose module makes no resource", () => {
    const rootOnly = writePlan("root-only", planOf(ROOT_RESOURCES, ROOT_RESOURCES));
    expect(cli("review", rootOnly, "--module", "module.prod")).toEqual({
      code: 0, stderr: "",
      stdout: empty("Plan `root-only`, module `module.prod`. `module.prod` makes no resource in this plan: there is nothing of it to review."),
    });
  });

  test("with a call that has resources: the review of that call, and the note for the empty one", () => {
    const both = cli("review", WHOLE, "--module", "module.prod", "--module", "module.team[\"ops\"]");
    expect(both.code).toBe(0);
    expect(both.stdout.split("\n").filter((line) => line.startsWith("Plan "))).toEqual([
      "Plan `plan`, modules `module.prod`, `module.team[\"ops\"]`. `module.team[\"ops\"]` has no instance in this plan (its `count` or `for_each` makes none): there is nothing of it to review.",
    ]);
    expect(both.stdout.replace(/\nPlan .*\n/, "")).toBe(cli("review", WHOLE, "--module", "module.prod").stdout.replace(/\nPlan .*\n/, ""));
  });
});

test("planAtModules: only what lies under the address in resource_changes, planned_values and prior_state, with the modules leading to it; the configuration whole", () => {
  const whole = JSON.parse(fs.readFileSync(WHOLE, "utf8")) as JsonObject;
  const copy = structuredClone(whole);
  const loaded: LoadedPlan = { name: "plan", file: WHOLE, plan: whole };
  const { plan, modules } = planAtModules(loaded, ["module.team[\"data\"]"]);
  /** A module tree's module addresses and resource addresses, depth first. */
  const tree = (module: JsonObject): string[] => [
    ...(typeof module.address === "string" ? [`module ${module.address}`] : []),
    ...(module.resources as JsonObject[]).map((r) => String(r.address)),
    ...((module.child_modules ?? []) as JsonObject[]).flatMap(tree),
  ];
  const at = "module.team[\"data\"].module.export[0]";
  expect(modules).toEqual(["module.team[\"data\"]"]);
  expect((plan.resource_changes as JsonObject[]).map((rc) => rc.address)).toEqual([`${at}.aws_iam_role.this`, `${at}.aws_iam_role_policy.this`, `${at}.aws_s3_bucket.this`]);
  expect(tree((plan.planned_values as JsonObject).root_module as JsonObject)).toEqual([
    "module module.team[\"data\"]", `module ${at}`, `${at}.aws_iam_role.this`, `${at}.aws_iam_role_policy.this`, `${at}.aws_s3_bucket.this`, `${at}.data.aws_region.current`,
  ]);
  expect(tree(((plan.prior_state as JsonObject).values as JsonObject).root_module as JsonObject)).toEqual(["module module.team[\"data\"]", `module ${at}`, `${at}.data.aws_region.current`]);
  expect(plan.configuration).toBe(whole.configuration);
  // The plan as loaded is left as it was.
  expect(whole).toEqual(copy);
});

describe("--module: unusable input exits 2, every problem at once, nothing on stdout", () => {
  const PREFIX = "mixpanel-s3-export review: ";
  const MODULES = "its modules are module.dev, module.prod, module.team[\"data\"], module.team[\"data\"].module.export[0]";
  const NOT_AN_ADDRESS = "not the address of a module call; write it as Terraform does, e.g. module.mixpanel or module.mixpanel[\"prod\"]";
  const unusable = (result: ReturnType<typeof cli>, problems: string[]) => expect(result).toEqual({
    code: 2, stdout: "",
    stderr: `${PREFIX}${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`}\n`,
  });

  test("an address the plan has nothing under, and one that is no address: both named, with the plan's module addresses", () => {
    unusable(cli("review", WHOLE, "--module", "module.staging", "--module", "prod", "--module", "module.stage"), [
      `--module prod: ${NOT_AN_ADDRESS}`,
      `--module module.staging: ${WHOLE} has no resource at or under this address; ${MODULES}`,
      `--module module.stage: ${WHOLE} has no resource at or under this address; ${MODULES}`,
    ]);
    // A prefix of a call's name is not that call.
    unusable(cli("review", WHOLE, "--module", "module.pro"), [`--module module.pro: ${WHOLE} has no resource at or under this address; ${MODULES}`]);
  });

  test("a plan whose resources are all in the root module", () => {
    // A root calling no module: its configuration has no module calls either.
    const rootOnly = writePlan("root-only", { ...planOf(ROOT_RESOURCES, ROOT_RESOURCES), configuration: { ...CONFIGURATION, root_module: { resources: CONFIGURATION.root_module.resources } } });
    unusable(cli("review", rootOnly, "--module", "module.prod"),
      [`--module module.prod: ${rootOnly} has no resource at or under this address; it has no module: every resource is in the root module`]);
  });

  test("with a synth instead of a plan, with --base and --head, without an address, and with a missing plan file", () => {
    const synth = writeCdktfOut(JSON.stringify({ terraform: {}, resource: {} }));
    unusable(cli("review", synth, "--module", "module.prod"), [
      `--module module.prod: ${synth} is a synth, not a saved plan; --module reviews part of a saved plan (terraform plan -out=plan.bin, then terraform show -json plan.bin > plan.json)`,
    ]);
    unusable(cli("review", "--base", synth, "--head", synth, "--module", "module.prod", "--module", "module.dev"), [
      "--module module.prod, module.dev: --module reviews part of a saved plan (review plan.json --module <address>); --base and --head compare two synths, which have no module calls",
    ]);
    unusable(cli("review", WHOLE, "--module"), ["--module needs the address of a module call, e.g. module.prod"]);
    const missing = path.join(tempDir(), "plan.json");
    unusable(cli("review", missing, "--module", "team"), [`--module team: ${NOT_AN_ADDRESS}`, `${missing}: no such file or folder`]);
  });
});
