import * as fs from "fs";
import * as path from "path";
import { buildModule } from "../../src/module/build-module";
import { pageDataModificationPolicy, pageTrustPolicy } from "../fixtures/mixpanel-page";
import { MODULE_CONSUMERS, moduleConsumerRoot } from "../support/plan-roots";
import { describeTerraform } from "../support/terraform";
import { RootPlan, RootToPlan, planRoots } from "../support/terraform-test";

/**
 * The consumer tier: root modules written by hand as the module's users write them (__tests__/module-consumers/),
 * each planned offline as a root with the real AWS provider against a fresh build of the module (all of them in
 * one `terraform test`, a test file each). A root that must plan is
 * asserted whole: every resource address and action, every IAM document (compared with Mixpanel's page), the
 * TLS-only bucket policy, and every root output, the region included. A root that must fail is asserted to fail
 * with its message, and with no other error.
 */

const T1 = "0123456789abcdef0123456789abcdef";
const T2 = "fedcba9876543210fedcba9876543210";
const T3 = "00112233445566778899aabbccddeeff";

/** A value Terraform knows only after apply. */
const UNKNOWN = "(known after apply)";
/** mixpanel_settings' Redshift Spectrum fields, null without glue_database. */
const NO_GLUE = { glue_database: null, glue_region: null, glue_role: null, redshift_role: null };
/** A value Terraform marks sensitive (shown in the plan JSON, marked in its *_sensitive trees). */
const sensitive = (value: unknown) => ({ sensitive: value });

// --- What the page says, filled in ---

/** The page's trust policy; with several tokens (one shared role) the one condition lists them all. */
function trust(...tokens: string[]): unknown {
  const page = pageTrustPolicy(tokens[0]) as { Statement: { Condition: { StringEquals: Record<string, unknown> } }[] };
  if (tokens.length > 1) page.Statement[0].Condition.StringEquals["sts:ExternalId"] = tokens;
  return page;
}
const data = (bucket: string) => pageDataModificationPolicy(bucket);

/** Not on the page: the bucket's TLS-only policy (secure by default). */
const tlsOnly = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [{
    Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  }],
});

/** Not on the page: the page's data policy limited to one project's prefix (scope_to_project_prefix). */
const scopedData = (bucket: string, prefix: string) => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "MixpanelS3PrefixObjectStatement", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${bucket}/${prefix}*` },
    { Sid: "MixpanelS3PrefixListStatement", Effect: "Allow", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } } },
  ],
});

// --- The addresses of one module instance ---

const SECURED_BUCKET = [
  "aws_s3_bucket.this[0]",
  "aws_s3_bucket_lifecycle_configuration.this[0]",
  "aws_s3_bucket_ownership_controls.this[0]",
  "aws_s3_bucket_policy.tls_only[0]",
  "aws_s3_bucket_public_access_block.this[0]",
];
const SHARED_ROLE = [
  "aws_iam_policy.data_access[0]",
  'aws_iam_role.this["shared"]',
  'aws_iam_role_policy_attachment.data_access["shared"]',
];
const within = (module: string, addresses: readonly string[]) => addresses.map((a) => `${module}.${a}`);

interface Planned {
  /** Address: actions. */
  readonly resources: Record<string, string>;
  /** Address: the policy document of an aws_iam_policy, aws_iam_role (trust) or aws_s3_bucket_policy. */
  readonly documents: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

type Case = { readonly plans: Planned } | { readonly fails: readonly string[] };

/** Each of a module instance's resources, created. */
const created = (addresses: readonly string[]) => Object.fromEntries(addresses.map((a) => [a, "create"]));

const CASES: Record<string, Case> = {
  "kms-key-from-resource": {
    plans: {
      resources: created([
        "aws_kms_key.ours",
        ...within("module.mixpanel", [
          ...SECURED_BUCKET, ...SHARED_ROLE,
          "aws_iam_policy.kms[0]",
          'aws_iam_role_policy_attachment.kms["shared"]',
          "aws_s3_bucket_server_side_encryption_configuration.this[0]",
        ]),
      ]),
      documents: {
        "module.mixpanel.aws_iam_policy.data_access[0]": data("acme-mixpanel-export"),
        // The page's KMS policy names the key's ARN, known only after apply.
        "module.mixpanel.aws_iam_policy.kms[0]": UNKNOWN,
        'module.mixpanel.aws_iam_role.this["shared"]': trust(T1),
        "module.mixpanel.aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-mixpanel-export"),
      },
      outputs: {
        mixpanel_settings: { bucket: "acme-mixpanel-export", region: "us-east-1", role: UNKNOWN, encryption: "KMS", kms_key_id: UNKNOWN, ...NO_GLUE },
      },
    },
  },
  "sensitive-token": {
    plans: {
      resources: created([
        ...within("module.mixpanel", [...SECURED_BUCKET, ...SHARED_ROLE, "aws_s3_bucket_server_side_encryption_configuration.this[0]"]),
        ...within("module.analytics", [...SECURED_BUCKET, ...SHARED_ROLE]),
      ]),
      documents: {
        "module.mixpanel.aws_iam_policy.data_access[0]": data("acme-mixpanel-export"),
        'module.mixpanel.aws_iam_role.this["shared"]': sensitive(trust(T1)),
        "module.mixpanel.aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-mixpanel-export"),
        "module.analytics.aws_iam_policy.data_access[0]": data("acme-analytics-export"),
        'module.analytics.aws_iam_role.this["shared"]': sensitive(trust(T2, T3)),
        "module.analytics.aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-analytics-export"),
      },
      outputs: {
        mixpanel_settings: { bucket: "acme-mixpanel-export", region: "eu-west-1", role: UNKNOWN, encryption: "AES", kms_key_id: "", ...NO_GLUE },
        // Keyed by the tokens, so sensitive as they are.
        analytics_role_arns: sensitive({ [T2]: UNKNOWN, [T3]: UNKNOWN }),
      },
    },
  },
  "existing-bucket-from-resource": {
    plans: {
      resources: created([
        "aws_s3_bucket.lake",
        ...within("module.mixpanel", [...SHARED_ROLE, "aws_s3_bucket_server_side_encryption_configuration.this[0]"]),
      ]),
      documents: {
        // The bucket's id is known only after apply, and the data policy names it.
        "module.mixpanel.aws_iam_policy.data_access[0]": UNKNOWN,
        'module.mixpanel.aws_iam_role.this["shared"]': trust(T1),
      },
      outputs: {
        mixpanel_settings: { bucket: UNKNOWN, region: "us-east-2", role: UNKNOWN, encryption: "AES", kms_key_id: "", ...NO_GLUE },
      },
    },
  },
  "environments-for-each": {
    plans: {
      resources: created(["staging", "production"].flatMap((env) => within(`module.mixpanel["${env}"]`, [...SECURED_BUCKET, ...SHARED_ROLE]))),
      documents: Object.fromEntries([["staging", T1], ["production", T2]].flatMap(([env, token]) => [
        [`module.mixpanel["${env}"].aws_iam_policy.data_access[0]`, data(`acme-mixpanel-${env}`)],
        [`module.mixpanel["${env}"].aws_iam_role.this["shared"]`, trust(token)],
        [`module.mixpanel["${env}"].aws_s3_bucket_policy.tls_only[0]`, tlsOnly(`acme-mixpanel-${env}`)],
      ])),
      outputs: {
        mixpanel_settings: {
          production: { bucket: "acme-mixpanel-production", region: "us-west-2", role: UNKNOWN, encryption: "NONE", kms_key_id: "" , ...NO_GLUE },
          staging: { bucket: "acme-mixpanel-staging", region: "us-west-2", role: UNKNOWN, encryption: "NONE", kms_key_id: "" , ...NO_GLUE },
        },
      },
    },
  },
  "per-project-roles-map": {
    plans: {
      resources: created(within("module.mixpanel", [
        ...SECURED_BUCKET,
        ...[T1, T2].flatMap((token) => [
          `aws_iam_policy.scoped_data_access["${token}"]`,
          `aws_iam_role.this["${token}"]`,
          `aws_iam_role_policy_attachment.data_access["${token}"]`,
        ]),
      ])),
      documents: {
        [`module.mixpanel.aws_iam_policy.scoped_data_access["${T1}"]`]: scopedData("acme-mixpanel-export", "1001/"),
        [`module.mixpanel.aws_iam_policy.scoped_data_access["${T2}"]`]: scopedData("acme-mixpanel-export", "2002/"),
        [`module.mixpanel.aws_iam_role.this["${T1}"]`]: trust(T1),
        [`module.mixpanel.aws_iam_role.this["${T2}"]`]: trust(T2),
        "module.mixpanel.aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-mixpanel-export"),
      },
      outputs: { role_arns: { [T1]: UNKNOWN, [T2]: UNKNOWN }, region: "us-east-1" },
    },
  },
  "aliased-provider": {
    plans: {
      resources: created(within("module.mixpanel", [...SECURED_BUCKET, ...SHARED_ROLE])),
      documents: {
        "module.mixpanel.aws_iam_policy.data_access[0]": data("acme-mixpanel-export-eu"),
        'module.mixpanel.aws_iam_role.this["shared"]': trust(T1),
        "module.mixpanel.aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-mixpanel-export-eu"),
      },
      // The aliased provider's region, not the default provider's us-east-1.
      outputs: { mixpanel_settings: { bucket: "acme-mixpanel-export-eu", region: "eu-central-1", role: UNKNOWN, encryption: "NONE", kms_key_id: "", ...NO_GLUE } },
    },
  },
  "count-depends-on-twice": {
    plans: {
      resources: {
        ...created([
          "aws_s3_bucket.logs",
          ...within("module.primary[0]", [...SECURED_BUCKET, ...SHARED_ROLE]),
          ...within("module.archive", [...SECURED_BUCKET, ...SHARED_ROLE, "aws_s3_bucket_logging.this[0]"]),
        ]),
        // depends_on a bucket still to be created: Terraform reads the module's data sources during apply. The
        // region was given, so the outputs know it; its check against the provider's region runs at apply.
        "module.archive.data.aws_region.current": "read",
      },
      documents: {
        "module.primary[0].aws_iam_policy.data_access[0]": data("acme-mixpanel-export"),
        'module.primary[0].aws_iam_role.this["shared"]': trust(T1),
        "module.primary[0].aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-mixpanel-export"),
        "module.archive.aws_iam_policy.data_access[0]": data("acme-mixpanel-archive"),
        'module.archive.aws_iam_role.this["shared"]': trust(T2),
        "module.archive.aws_s3_bucket_policy.tls_only[0]": tlsOnly("acme-mixpanel-archive"),
      },
      outputs: {
        primary_region: "ap-southeast-2",
        archive_settings: { bucket: "acme-mixpanel-archive", region: "ap-southeast-2", role: UNKNOWN, encryption: "NONE", kms_key_id: "", ...NO_GLUE },
      },
    },
  },
  "region-disagrees": {
    fails: ["region: the bucket's region is given as eu-west-1, but the AWS provider is configured for us-east-1, where the bucket and roles are made. " +
      "Fix: set region to the provider's region (the module also takes it when region is unset), or use an AWS provider configured for the region you meant."],
  },
  "region-typo": {
    fails: ["region: the bucket's region is given as eu-wset-1, but the AWS provider is configured for eu-west-1, where the bucket and roles are made."],
  },
  "key-with-encryption-none": {
    fails: ["kms_key: a KMS key applies only with encryption KMS. Fix: set encryption to KMS, or remove the key ARN."],
  },
  "kms-key-arn-from-resource": {
    // No validation or precondition runs on a value unknown at plan (Terraform puts them off until apply), so Terraform's
    // own error stands, whole; the count line it prints names kms_key. Line numbers read <n>.
    fails: ['Error: Invalid count argument on terraform-aws-mixpanel-s3-export/main.tf.json line <n>, in resource.aws_iam_policy.kms: ' +
      '"count": "${/* kms_key_arn: must be known at plan (text, a variable, a data source), since it decides whether the KMS policy ' +
      "exists; an ARN known only after apply, such as aws_kms_key.<name>.arn of the same configuration, fails with Terraform's Invalid " +
      'count argument. Fix: give such a key as kms_key = { arn = aws_kms_key.<name>.arn }. */ local.has_customer_key ? 1 : 0}", ' +
      'The "count" value depends on resource attributes that cannot be determined until apply, so Terraform cannot predict how many ' +
      "instances will be created. To work around this, use the -target argument to first apply only the resources that the count depends on."],
  },
  "per-project-sensitive-tokens": {
    fails: ["projects[].token: with role_per_project each token is part of its role's Terraform address (aws_iam_role.this[\"<token>\"]), so no token may be sensitive. " +
      "Fix: pass the tokens through nonsensitive() (Mixpanel's project token is no secret: it is the external ID), or use one shared role."],
  },
};

// --- Reading a plan ---

interface Change {
  address: string;
  type: string;
  change: { actions: string[]; after: Record<string, unknown> | null; after_unknown: Record<string, unknown>; after_sensitive: Record<string, unknown> | false };
}
interface OutputChange { after?: unknown; after_unknown: unknown; after_sensitive?: unknown }
interface ShowJson { resource_changes?: Change[]; output_changes?: Record<string, OutputChange> }

const POLICY_ATTRIBUTES: Record<string, string> = { aws_iam_policy: "policy", aws_iam_role: "assume_role_policy", aws_s3_bucket_policy: "policy" };

/** A value with its unknown parts (after_unknown) shown as UNKNOWN. */
function withUnknowns(after: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(unknown)) return unknown.map((u, i) => withUnknowns((after as unknown[] | undefined)?.[i], u));
  if (typeof unknown === "object" && unknown !== null) {
    const known = { ...(after as Record<string, unknown>) };
    for (const [key, u] of Object.entries(unknown)) known[key] = withUnknowns(known[key], u);
    return known;
  }
  return after;
}

function readPlan(show: ShowJson): Planned {
  const changes = show.resource_changes ?? [];
  const documents: Record<string, unknown> = {};
  for (const { address, type, change } of changes) {
    const attribute = POLICY_ATTRIBUTES[type];
    if (attribute === undefined) continue;
    const document = change.after_unknown[attribute] === true ? UNKNOWN : JSON.parse(change.after![attribute] as string);
    documents[address] = change.after_sensitive !== false && change.after_sensitive[attribute] === true ? sensitive(document) : document;
  }
  const outputs = Object.fromEntries(Object.entries(show.output_changes ?? {}).map(([name, o]) => {
    const value = withUnknowns(o.after ?? null, o.after_unknown);
    return [name, o.after_sensitive === true ? sensitive(value) : value];
  }));
  return { resources: Object.fromEntries(changes.map((c) => [c.address, c.change.actions.join(",")])), documents, outputs };
}

/** A root of __tests__/module-consumers as terraform plans it: its files, the offline override, and its terraform.tfvars. */
function rootToPlan(name: string): RootToPlan {
  const tfvars = path.join(MODULE_CONSUMERS, name, "terraform.tfvars");
  return {
    name,
    files: moduleConsumerRoot(name),
    ...(fs.existsSync(tfvars) ? { variables: fs.readFileSync(tfvars, "utf8") } : {}),
  };
}

const whitespace = (text: string) => text.replace(/\s+/g, " ");

describeTerraform("the module in root modules as users write them (terraform tier)", () => {
  let outcomes: Map<string, RootPlan>;

  beforeAll(async () => {
    // Every root planned as a root (its providers, variables and outputs) in one terraform test, beside a fresh build of the module.
    outcomes = await planRoots(Object.keys(CASES).map(rootToPlan), "module-consumers",
      { prepare: (dir) => buildModule(path.join(dir, "terraform-aws-mixpanel-s3-export")) });
  });

  test("every root under __tests__/module-consumers is a case here, and there are at least eight", () => {
    const roots = fs.readdirSync(MODULE_CONSUMERS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(roots.sort()).toEqual(Object.keys(CASES).sort());
    expect(roots.length).toBeGreaterThanOrEqual(8);
  });

  test.each(Object.keys(CASES))("%s", (name) => {
    const expected = CASES[name];
    const outcome = outcomes.get(name)!;
    if ("plans" in expected) {
      if (!outcome.ok) throw new Error(outcome.error);
      expect(readPlan(outcome.plan)).toEqual(expected.plans);
    } else {
      expect(outcome.ok).toBe(false);
      const error = whitespace((outcome as { error: string }).error).replace(/ line \d+, in /g, " line <n>, in ");
      for (const message of expected.fails) expect(error).toContain(message);
      expect(error.match(/Error: /g)).toHaveLength(expected.fails.length);
    }
  });
});
