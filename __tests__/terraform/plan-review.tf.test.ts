import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reviewPlan } from "../../src/cli/review";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { buildModule } from "../../src/module/build-module";
import { MODULE_EXAMPLES } from "../../src/module/examples";
import { Change } from "../../src/review/diff";
import { LoadedPlan, planAtModules } from "../../src/review/input";
import { BatchedRoot, planRootsJson } from "../support/batched-plans";
import { RootToImport, deployRoots, importPlans, planJson, stackRoot } from "../support/deployed-state";
import {
  MIXPANEL_SESSION, ROOT_HEADER, ScopeVariant, adoptionImportRoot, aliasedProviderRoot, catalogRoot, handWrittenRoot, importRoot, moduleCall,
  moduleConsumerRoot, nestedModuleRoot, roleFromRootRoot, scopeRoot, switchedOffRoot,
} from "../support/plan-roots";
import { BUCKET, TOKEN, TOKEN_B, TOKEN_C, baseProps, synthStack } from "../support/synth";
import { describeTerraform } from "../support/terraform";
import { WORKFLOWS, loadWorkflow, runStep, stepsOf } from "../support/workflows";
import { cli, writeCdktfOut } from "../review/helpers";

/**
 * `review <plan.json>` on real plans: `terraform plan -out` and `terraform show -json` of the cdktf stack, of
 * roots calling the registry module at nested addresses with `count` and `for_each`, of a root with
 * hand-written resources, and of changes planned against a deployed state (applied with a mocked provider),
 * so each change has a real `before` and `after`. The scenarios that do not depend on being a plan's root
 * share one real plan, a module each, and each is reviewed with `review --module`.
 */

const work = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-plan-review-"));
const moduleDir = path.join(work, "terraform-aws-mixpanel-s3-export");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const MIXPANEL_USER = "Mixpanel's export user `arn:aws:iam::485438090326:user/mixpanel-export`";
const TRUST_HEADER = ["| Role | Principal | Action | External ID | Other conditions |", "|---|---|---|---|---|"];
const PER_PROJECT = MODULE_EXAMPLES.find((example) => example.name === "per-project-roles")!.props;
const PROJECTS = [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }];
const DEPLOYED: MixpanelS3ExportProps = baseProps({ projects: PROJECTS, encryption: "KMS", createKmsKey: true });
/** Mixpanel's Redshift Spectrum destination: the Glue and Redshift roles, whose trust has no external ID. */
const GLUE_STACK: MixpanelS3ExportProps = baseProps({ glueDatabase: "mixpanel_exports", redshiftRole: true, encryption: "KMS", createKmsKey: true });
/** Policies attached to a role made by hand, as import reads them, and one a root attaches to it as well. */
const HAND_ATTACHED = ["arn:aws:iam::111122223333:policy/MixpanelS3DataModification", "arn:aws:iam::111122223333:policy/MixpanelKms"];
const ATTACHED_HERE = "arn:aws:iam::111122223333:policy/kept-by-this-root";
const ADOPTING: MixpanelS3ExportProps = baseProps({ adopt: ["bucket", "role"], roleName: "mixpanel-export-handmade", encryption: "AES" });
const S3_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonS3FullAccess";

/** A plan's JSON text, and the module of it a scenario is (`review --module`), when it shares the plan with others. */
interface Planned {
  readonly json: string;
  readonly module?: string;
}

/** Writes the plan JSON as a user's `terraform show -json plan.bin > plan.json` does, and reviews it (its scenario's module). */
function review(planned: Planned, name: string): ReturnType<typeof cli> & { changes: Change[] } {
  const file = path.join(work, `${name}.json`);
  fs.writeFileSync(file, planned.json);
  const loaded: LoadedPlan = { name, file, plan: JSON.parse(planned.json) };
  const modules = planned.module === undefined ? [] : [planned.module];
  return {
    ...cli("review", file, ...modules.flatMap((m) => ["--module", m])),
    changes: reviewPlan(modules.length === 0 ? loaded : planAtModules(loaded, modules)).changes,
  };
}

/** The text under a Markdown heading, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const level = heading.split(" ")[0];
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading} in:\n${markdown}`);
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.split(" ")[0].length <= level.length);
  return lines.slice(start, end < 0 ? undefined : end).join("\n").trim();
}

/** The report part of a plan review (after the diff), or a synth's report. */
const reportOf = (markdown: string) => markdown.slice(markdown.indexOf("# What this plan grants Mixpanel"));
const synthReport = (props: MixpanelS3ExportProps) => cli("review", writeCdktfOut(synthStack(props))).stdout;
/** Each change as one line, as the printed bullet has it (a map's lines joined by "; "). */
const texts = (changes: readonly Change[]) => changes.map((c) => `${c.destructive ? `${c.destructive} ` : ""}${c.kind} · ${c.subject}: ${c.text.replace(/\n/g, "; ")}`);

describeTerraform("review of real plans (terraform tier)", () => {
  const plans = new Map<string, Promise<Planned>>();
  const plan = (name: string, make: () => Promise<Planned>) => {
    const promise = make();
    promise.catch(() => undefined);
    plans.set(name, promise);
  };
  const alone = (files: () => Record<string, string>, state?: () => Promise<object>) => async (): Promise<Planned> =>
    ({ json: await planJson(files(), state === undefined ? undefined : await state()) });

  beforeAll(() => {
    buildModule(moduleDir);
    // Each a plan of its own: the stack's plan as its root, and roots whose review reads their root's providers and addresses.
    plan("stack with a created key", alone(() => stackRoot(synthStack(DEPLOYED))));
    plan("module at nested addresses", alone(() => nestedModuleRoot(moduleDir, PER_PROJECT,
      baseProps({ bucketName: "acme-team-mixpanel", encryption: "KMS", createKmsKey: true }))));
    plan("hand-written resources", alone(() => handWrittenRoot(TOKEN)));
    // Three module calls, each on its own provider (the default, `aws.eu`, and `aws.ap` whose region only its data source knows).
    plan("aliased providers", alone(() => aliasedProviderRoot(moduleDir, {
      us: baseProps({ bucketName: "acme-us-mixpanel", roleName: "mixpanel-us" }),
      eu: baseProps({ bucketName: "acme-eu-mixpanel", roleName: "mixpanel-eu", region: "eu-west-1" }),
      ap: baseProps({ bucketName: "acme-ap-mixpanel", roleName: "mixpanel-ap", region: "ap-southeast-2" }),
    })));
    // The deployed states, applied with a mocked provider in one terraform test: the stack (prevent_destroy is
    // not part of the state; lifting it lets `terraform test` clean up after its apply), a module root at
    // `module.export[0]` (an existing bucket: no prevent_destroy in the way of the mock's clean-up), and
    // Mixpanel's role next to a root's own role, bucket and key.
    const existing = baseProps({ bucketName: "existing-data-lake", createBucket: false, projects: [{ token: TOKEN }] });
    const moduleRoot = (props: MixpanelS3ExportProps) => ({
      "main.tf": `${ROOT_HEADER}\n${moduleCall("export", moduleDir, props, ["count = 1"])}`,
    });
    // The roots of issue 25 as their users wrote them: the module's consumer roots (a key and a bucket from the
    // root, an aliased provider beside an unused default one), a role given to a module of the root's own, an
    // environment switched off, and Mixpanel's Redshift Spectrum roles beside the root's CI role.
    plan("aliased provider, default unused", alone(() => moduleConsumerRoot("aliased-provider", moduleDir)));
    const states = deployRoots([
      { name: "stack", files: stackRoot(synthStack({ ...DEPLOYED, preventDestroy: false })) },
      { name: "module", files: moduleRoot(existing) },
      { name: "scope", files: scopeRoot(TOKEN) },
      { name: "catalog", files: catalogRoot(moduleDir, TOKEN) },
    ]);
    states.catch(() => undefined);
    // The other scenarios: one real plan, each a module against its own copy of its deployed state.
    const changed = (name: string, props: MixpanelS3ExportProps) => ({ name, state: "stack", files: stackRoot(synthStack(props)) });
    const scoped = (name: string, variant: ScopeVariant) => ({ name, state: "scope", files: scopeRoot(TOKEN, variant) });
    const together: (Omit<BatchedRoot, "state"> & { state?: string })[] = [
      { name: "stack with per-project roles", files: stackRoot(synthStack(PER_PROJECT)) },
      { name: "stack with the Glue part", files: stackRoot(synthStack(GLUE_STACK)) },
      changed("unchanged", DEPLOYED),
      changed("token added", { ...DEPLOYED, projects: [...PROJECTS, { token: TOKEN_C, projectId: "3003" }] }),
      changed("versioning on", { ...DEPLOYED, versioning: true }),
      changed("tags added", { ...DEPLOYED, tags: { team: "data" } }),
      changed("role renamed", { ...DEPLOYED, roleName: "mixpanel-export-v2" }),
      { name: "module: token added", state: "module", files: moduleRoot({ ...existing, projects: [{ token: TOKEN }, { token: TOKEN_B }] }) },
      scoped("unrelated replaced", { unrelatedChanged: true }),
      scoped("mixpanel role forgotten", { mixpanelRole: "forgotten" }),
      scoped("mixpanel role destroyed", { mixpanelRole: "destroyed" }),
      { name: "key from the root", files: moduleConsumerRoot("kms-key-from-resource", moduleDir) },
      { name: "bucket from the root", files: moduleConsumerRoot("existing-bucket-from-resource", moduleDir) },
      { name: "role from the root", files: roleFromRootRoot(TOKEN) },
      { name: "staging switched off", files: switchedOffRoot(moduleDir, TOKEN) },
      { name: "catalog created", files: catalogRoot(moduleDir, TOKEN) },
      { name: "catalog unchanged", state: "catalog", files: catalogRoot(moduleDir, TOKEN) },
      { name: "catalog versioning on", state: "catalog", files: catalogRoot(moduleDir, TOKEN, true) },
    ];
    const shared = states.then((deployed) => planRootsJson(together.map((root) => ({ ...root, state: root.state === undefined ? undefined : deployed.get(root.state)! })), "plan-review"));
    shared.catch(() => undefined);
    for (const { name } of together) plan(name, async () => ({ json: (await shared).json, module: (await shared).modules.get(name)! }));
    // The plans with import blocks (each the root of a terraform test: import blocks stand only in a root).
    // An override for every object the stack's import blocks name (a mock cannot import), and the provider's region.
    const adopting = synthStack(ADOPTING);
    const adoptedValues = (to: string) => (to.startsWith("aws_iam_role.")
      ? `{ arn = "arn:aws:iam::111122223333:role/mixpanel-export-handmade", managed_policy_arns = ${JSON.stringify(HAND_ATTACHED.slice(0, 1))} }`
      : to.startsWith("aws_s3_bucket.") ? `{ bucket = "${BUCKET}" }` : "{}");
    const imports: RootToImport[] = [
      { name: "import of a role", files: importRoot(TOKEN), overrides: `  override_resource {
    target = aws_iam_role.legacy
    values = { arn = "arn:aws:iam::111122223333:role/legacy-mixpanel" }
  }` },
      // As AWS reads them on import: the role's policies attached by hand (one of them attached by this root too).
      { name: "adoption by import blocks", files: adoptionImportRoot(TOKEN, ATTACHED_HERE), overrides: `  override_resource {
    target = aws_iam_role.legacy
    values = { arn = "arn:aws:iam::111122223333:role/legacy-mixpanel", managed_policy_arns = ${JSON.stringify([...HAND_ATTACHED, ATTACHED_HERE])} }
  }
  override_resource {
    target = aws_s3_bucket.legacy
    values = { arn = "arn:aws:s3:::legacy-export" }
  }` },
      // A role made by hand, with an AWS-managed policy attached to it outside the root.
      { name: "adopted role with AmazonS3FullAccess", files: importRoot(TOKEN), overrides: `  override_resource {
    target = aws_iam_role.legacy
    values = { arn = "arn:aws:iam::111122223333:role/legacy-mixpanel", managed_policy_arns = ["${S3_FULL_ACCESS}"] }
  }` },
      { name: "stack adopting a set-up made by hand", files: stackRoot(adopting), overrides: [
        ...(JSON.parse(adopting) as { import: { to: string }[] }).import.map(({ to }) => `  override_resource {\n    target = ${to}\n    values = ${adoptedValues(to)}\n  }`),
        ...Object.keys((JSON.parse(adopting) as { data: { aws_region: object } }).data.aws_region)
          .map((name) => `  override_data {\n    target = data.aws_region.${name}\n    values = { name = "us-east-1" }\n  }`),
      ].join("\n") },
    ];
    const imported = importPlans(imports);
    imported.catch(() => undefined);
    for (const { name } of imports) plan(name, async () => ({ json: (await imported).get(name)! }));
  });

  describe("the cdktf stack's plan", () => {
    test.each([["stack with a created key", DEPLOYED], ["stack with per-project roles", PER_PROJECT], ["stack with the Glue part", GLUE_STACK]] as const)(
      "%s: roles, permissions and bucket protections read as in the synth's report",
      async (name, props) => {
        const result = review(await plans.get(name)!, name.replace(/ /g, "-"));
        expect(result.code).toBe(1);
        const [fromPlan, fromSynth] = [reportOf(result.stdout), synthReport(props)];
        for (const heading of ["## Who can assume each role", "## What each role may do"]) {
          expect(section(fromPlan, heading)).toBe(section(fromSynth, heading));
        }
        // prevent_destroy is configuration, not a planned value: the plan cannot show it. The plan's report
        // says "plan" where the synth's says "stack".
        const protections = (markdown: string) => section(markdown, "## Bucket protections").split("\n").filter((l) => !l.startsWith("| prevent_destroy |"));
        expect(protections(fromPlan)).toEqual(protections(fromSynth).map((line) =>
          line === "| Bucket | created by this stack |" ? "| Bucket | created by this plan |" : line.replace(/\*\* \(created by this stack\)$/, "** (created by this plan)")));
        expect(fromPlan).not.toContain("this stack");
        expect(section(fromPlan, "## Bucket protections")).toContain("| prevent_destroy | not shown in a plan (a plan that destroys it fails when it is on) |");
      },
    );

    test("the Glue and Redshift roles: listed, their trust without external ID said to be Mixpanel's documented set-up", async () => {
      const trust = section(reportOf(review(await plans.get("stack with the Glue part")!, "glue").stdout), "## Who can assume each role");
      const documented = "none: Mixpanel's documented set-up for its Glue and Redshift roles";
      expect(trust).toContain(`| \`mixpanel-glue\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | ${documented} | none |`);
      expect(trust).toContain(`| \`mixpanel-redshift\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | ${documented} | none |`);
      expect(trust).toContain(`| \`mixpanel-redshift\` | the Redshift service \`redshift.amazonaws.com\` (Mixpanel's Redshift role) | \`sts:AssumeRole\` | ${documented} | none |`);
      expect(trust).toContain("Their trust requires no external ID: that is Mixpanel's documented set-up for these roles");
    });

    test("creating the stack is widening: the new role's trust and permissions first, then what is new", async () => {
      const result = review(await plans.get("stack with a created key")!, "created");
      expect(result.stdout.startsWith("# What this plan changes for Mixpanel\n\n⚠ **4 widening**, 0 narrowing, 6 neutral.\n")).toBe(true);
      expect(texts(result.changes).slice(0, 4)).toEqual([
        `widening · new role \`mixpanel-export\`: may now be assumed by ${MIXPANEL_USER} (\`sts:AssumeRole\`) with external ID \`${TOKEN}\`, \`${TOKEN_B}\``,
        `widening · new role \`mixpanel-export\`: may now \`s3:PutObject\`, \`s3:GetObject\`, \`s3:ListBucket\`, \`s3:DeleteObject\` on \`arn:aws:s3:::${BUCKET}\` (the bucket itself)`,
        `widening · new role \`mixpanel-export\`: may now \`s3:PutObject\`, \`s3:GetObject\`, \`s3:ListBucket\`, \`s3:DeleteObject\` on \`arn:aws:s3:::${BUCKET}/*\` (every object)`,
        "widening · new role `mixpanel-export`: may now `kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey`, `kms:ReEncryptTo`, `kms:GenerateDataKeyWithoutPlaintext`, `kms:DescribeKey`, `kms:ReEncryptFrom` on `<KMS key alias/mixpanel-export>` (the key)",
      ]);
      expect(section(reportOf(result.stdout), "## Mixpanel pipeline form")).toBe([
        "## Mixpanel pipeline form", "",
        "| Field | Value |", "|---|---|",
        `| Bucket | \`${BUCKET}\` |`,
        "| Region | `us-east-1` |",
        "| Role, for each project token | `0123…cdef`: `<ARN of role mixpanel-export>` (known after apply)<br>`fedc…3210`: `<ARN of role mixpanel-export>` (known after apply) |",
        "| Encryption | `KMS` |",
        "| KMS Key ID (empty: leave the field empty) | `<KMS key alias/mixpanel-export>` (known after apply) |",
      ].join("\n"));
    });
  });

  describe("a root calling the registry module", () => {
    test("at `module.direct` and at `module.team[\"prod\"].module.export[0]`: every role trusting Mixpanel, its permissions and the form", async () => {
      const result = review(await plans.get("module at nested addresses")!, "nested");
      expect(result.code).toBe(1);
      const report = reportOf(result.stdout);
      expect(section(report, "## Who can assume each role")).toBe(["## Who can assume each role", "", ...TRUST_HEADER,
        `| \`mixpanel-export-1001\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
        `| \`mixpanel-export-2002\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`fedc…3210\` | none |`,
        `| \`mixpanel-export-3003\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0011…eeff\` | none |`,
        `| \`prod-mixpanel-export\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
      ].join("\n"));
      // The module's per-project roles grant what the construct's do, read from the plan instead of the synth.
      const synth = synthReport(PER_PROJECT);
      for (const role of ["mixpanel-export-1001", "mixpanel-export-2002", "mixpanel-export-3003"]) {
        expect(section(report, `### Role \`${role}\``)).toBe(section(synth, `### Role \`${role}\``));
      }
      // The key's ARN comes from a local of the module, which a plan does not show: the one key that module has.
      const where = "`<KMS key alias/prod-mixpanel-export>` (known after apply)";
      expect(section(report, "### Role `prod-mixpanel-export`")).toBe([
        "### Role `prod-mixpanel-export`", "",
        "| Effect | Actions | Resource | Scope | Conditions | Policy |", "|---|---|---|---|---|---|",
        "| Allow | `s3:PutObject`, `s3:GetObject`, `s3:ListBucket`, `s3:DeleteObject` | `arn:aws:s3:::acme-team-mixpanel` | the bucket itself | none | `prod-mixpanel-export-data-access` |",
        "| Allow | `s3:PutObject`, `s3:GetObject`, `s3:ListBucket`, `s3:DeleteObject` | `arn:aws:s3:::acme-team-mixpanel/*` | every object | none | `prod-mixpanel-export-data-access` |",
        `| Allow | \`kms:Decrypt\`, \`kms:Encrypt\`, \`kms:GenerateDataKey\`, \`kms:ReEncryptTo\`, \`kms:GenerateDataKeyWithoutPlaintext\`, \`kms:DescribeKey\`, \`kms:ReEncryptFrom\` | ${where} | the key | none | \`prod-mixpanel-export-kms\` |`,
        "",
        "Prefix scoping: none, every object of the bucket (as Mixpanel's page) · Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
      ].join("\n"));
      expect(section(report, "## Mixpanel pipeline form")).toBe([
        "## Mixpanel pipeline form", "",
        "| Field | Value |", "|---|---|",
        "| Bucket | `acme-mixpanel-export`<br>`acme-team-mixpanel` |",
        "| Region | `us-east-1` |",
        "| Role, for each project token | `0123…cdef`: `<ARN of role mixpanel-export-1001>` (known after apply)<br>`fedc…3210`: `<ARN of role mixpanel-export-2002>` (known after apply)<br>" +
          "`0011…eeff`: `<ARN of role mixpanel-export-3003>` (known after apply)<br>`0123…cdef`: `<ARN of role prod-mixpanel-export>` (known after apply) |",
        "| Encryption | `acme-mixpanel-export`: `NONE`<br>`acme-team-mixpanel`: `KMS` |",
        `| KMS Key ID (empty: leave the field empty) | \`acme-mixpanel-export\`: (empty)<br>\`acme-team-mixpanel\`: ${where} |`,
      ].join("\n"));
      expect(report).toContain("**KMS key `alias/prod-mixpanel-export`** (created by this plan)");
    });

    test("planned against its deployed state at `module.export[0]`: a token added is widening (exit 1)", async () => {
      const result = review(await plans.get("module: token added")!, "module-token");
      expect(texts(result.changes)).toEqual([
        `widening · role \`mixpanel-export\`: now also accepts external ID \`${TOKEN_B}\` from ${MIXPANEL_USER} (\`sts:AssumeRole\`)`,
        `neutral · Mixpanel form: Role, for each project token: \`${TOKEN}\`: \`arn:aws:iam::111122223333:role/mock\` → \`${TOKEN}\`: \`arn:aws:iam::111122223333:role/mock\`; \`${TOKEN_B}\`: \`arn:aws:iam::111122223333:role/mock\``,
      ]);
      expect(result.code).toBe(1);
    });
  });

  test("a root with hand-written roles: a role trusting Mixpanel without an external ID is flagged; others are left out", async () => {
    const result = review(await plans.get("hand-written resources")!, "hand");
    expect(result.code).toBe(1);
    expect(texts(result.changes).filter((t) => t.includes("assumed by"))).toEqual([
      `widening · new role \`mixpanel-no-external-id\`: may now be assumed by ${MIXPANEL_USER} (\`sts:AssumeRole\`), ⚠ with no external ID required`,
      `widening · new role \`mixpanel-session\`: may now be assumed by ⚠ \`${MIXPANEL_SESSION}\` (not Mixpanel's export user) (\`sts:AssumeRole\`), ⚠ with no external ID required`,
      `widening · new role \`mixpanel-with-external-id\`: may now be assumed by ${MIXPANEL_USER} (\`sts:AssumeRole\`) with external ID \`${TOKEN}\``,
    ]);
    const report = reportOf(result.stdout);
    expect(report).toContain("Plan `hand`. 1 other role of the plan cannot be assumed by Mixpanel's account and is left out.");
    expect(section(report, "## Who can assume each role")).toBe(["## Who can assume each role", "", ...TRUST_HEADER,
      `| \`mixpanel-no-external-id\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | ⚠ none required | none |`,
      // A session principal of Mixpanel's account (arn:aws:sts::...) is Mixpanel's too, and flagged.
      `| \`mixpanel-session\` | ⚠ \`${MIXPANEL_SESSION}\` (not Mixpanel's export user) | \`sts:AssumeRole\` | ⚠ none required | none |`,
      `| \`mixpanel-with-external-id\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
    ].join("\n"));
    expect(section(report, "### Role `mixpanel-no-external-id`")).toBe([
      "### Role `mixpanel-no-external-id`", "",
      "| Effect | Actions | Resource | Scope | Conditions | Policy |", "|---|---|---|---|---|---|",
      "| Allow | `s3:PutObject`, `s3:ListBucket` | `arn:aws:s3:::acme-hand-written` | the bucket itself | none | `hand-data` |",
      "| Allow | `s3:PutObject`, `s3:ListBucket` | `arn:aws:s3:::acme-hand-written/*` | every object | none | `hand-data` |",
      "",
      "Also attached, contents not in this plan: `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`, " +
        "`inline policy use-our-key (<policy of aws_iam_role_policy.kms, from aws_kms_key.ours.arn>, known after apply)`.",
      "",
      "Prefix scoping: none, every object of the bucket (as Mixpanel's page) · Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
    ].join("\n"));
    expect(report).toContain("| Default encryption | SSE-KMS with customer key `<KMS key aws_kms_key.ours>` (known after apply) |");
    expect(report).not.toContain("ci-deployer");
    // Resources the review does not model count only when they name what Mixpanel may use.
    expect(texts(result.changes).filter((t) => t.includes(" · resource "))).toEqual([
      "widening · resource `aws_kms_grant.mixpanel`: added; the review does not model this type and it can grant access: review it by hand",
    ]);
  });

  test("an import: listed as such, and the imported role's trust is reported (exit 0: nothing widens)", async () => {
    const result = review(await plans.get("import of a role")!, "import");
    expect(texts(result.changes)).toEqual([
      "neutral · resource `aws_iam_role.legacy`: imported (id `legacy-mixpanel`): Terraform takes over the existing object; the changes below compare it as AWS has it with the plan",
    ]);
    expect(section(reportOf(result.stdout), "## Who can assume each role")).toBe(["## Who can assume each role", "", ...TRUST_HEADER,
      `| \`legacy-mixpanel\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
    ].join("\n"));
    expect(result.code).toBe(0);
  });

  describe("adoption: what import blocks leave in place or overwrite unseen", () => {
    const adoption = (changes: readonly Change[]) => texts(changes).filter((t) => t.includes("attached outside") || t.includes("created, not imported"));

    test("a hand-written root: the role's policies attached outside it, and the bucket's policy and lifecycle rules it replaces", async () => {
      const result = review(await plans.get("adoption by import blocks")!, "adoption");
      expect(adoption(result.changes)).toEqual([
        `widening · role \`legacy-mixpanel\`: policies \`${HAND_ATTACHED[1]}\`, \`${HAND_ATTACHED[0]}\` attached outside this configuration: ` +
          "Mixpanel may do what they allow while they stay attached, which this plan does not show: review them by hand; detach after apply, " +
          "once this plan's own policies are attached (`aws iam detach-role-policy --role-name legacy-mixpanel --policy-arn <ARN>`)",
        "neutral · bucket `legacy-export`: `aws_s3_bucket_lifecycle_configuration.legacy` is created, not imported: it replaces the bucket's own lifecycle rules, if it has any",
        "neutral · bucket `legacy-export`: `aws_s3_bucket_policy.legacy` is created, not imported: it replaces the bucket's own policy, if it has any",
      ]);
      // What Mixpanel may do once the role is imported: the policies attached outside, marked, beside the one this root attaches too.
      expect(section(reportOf(result.stdout), "### Role `legacy-mixpanel`")).toBe([
        "### Role `legacy-mixpanel`", "",
        "No permissions from policies in this plan.", "",
        `Also attached, contents not in this plan: \`${HAND_ATTACHED[1]} (attached outside this configuration)\`, ` +
          `\`${HAND_ATTACHED[0]} (attached outside this configuration)\`, \`${ATTACHED_HERE}\`.`, "",
        "Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
      ].join("\n"));
      expect(result.code).toBe(1);
    });

    test("the stack adopting the bucket and the role (MIXPANEL_ADOPT=bucket,role): the same notices at the stack's addresses", async () => {
      const result = review(await plans.get("stack adopting a set-up made by hand")!, "stack-adoption");
      const bucket = "neutral · bucket `acme-mixpanel-export`";
      expect(adoption(result.changes)).toEqual([
        `widening · role \`mixpanel-export-handmade\`: policy \`${HAND_ATTACHED[0]}\` attached outside this configuration: ` +
          "Mixpanel may do what it allows while it stays attached, which this plan does not show: review it by hand; detach after apply, " +
          "once this plan's own policies are attached (`aws iam detach-role-policy --role-name mixpanel-export-handmade --policy-arn <ARN>`)",
        `${bucket}: \`aws_s3_bucket_lifecycle_configuration.mixpanel_bucket_lifecycle_2FD9E53D\` is created, not imported: it replaces the bucket's own lifecycle rules, if it has any`,
        `${bucket}: \`aws_s3_bucket_policy.mixpanel_bucket_tls-only-policy_962805A8\` is created, not imported: it replaces the bucket's own policy, if it has any`,
      ]);
    });
  });

  test("aliased providers: each bucket's region is its provider's, one per bucket when they differ", async () => {
    const result = review(await plans.get("aliased providers")!, "aliased");
    const form = section(reportOf(result.stdout), "## Mixpanel pipeline form").split("\n");
    expect(form.filter((line) => line.startsWith("| Bucket |") || line.startsWith("| Region |"))).toEqual([
      "| Bucket | `acme-ap-mixpanel`<br>`acme-eu-mixpanel`<br>`acme-us-mixpanel` |",
      // aws.ap's region is a local, which the plan's configuration does not show: its module's data "aws_region" tells it.
      "| Region | `acme-ap-mixpanel`: `ap-southeast-2`<br>`acme-eu-mixpanel`: `eu-west-1`<br>`acme-us-mixpanel`: `us-east-1` |",
    ]);
  });

  describe("only what Mixpanel may use is reviewed (a root's own role, bucket and key next to Mixpanel's role)", () => {
    const NOTE = "1 other role of the module cannot be assumed by Mixpanel's account and is left out.";
    const unrelated = ["app-server", "acme-app-logs", "aws_kms_key.app"];

    test("the root's own role and bucket replaced and its key destroyed: nothing to report, exit 0", async () => {
      const result = review(await plans.get("unrelated replaced")!, "unrelated");
      expect(result.changes).toEqual([]);
      expect(result.stdout).toContain("# What this plan changes for Mixpanel\n\nNo changes to what this plan grants Mixpanel or to its protections.\n");
      // Reviewed as its module of the shared plan: the notes count what is left out of the module.
      const { module } = await plans.get("unrelated replaced")!;
      expect(result.stdout).toContain(`Plan \`unrelated\`, module \`${module}\`. ${NOTE} 1 other bucket of the module is not used by a role Mixpanel's account may assume and left out.`);
      for (const name of unrelated) expect(result.stdout).not.toContain(name);
      expect(result.code).toBe(0);
    });

    test("Mixpanel's role forgotten (removed, destroy = false): it stays in AWS, so nothing narrows and the report keeps it", async () => {
      const planned = await plans.get("mixpanel role forgotten")!;
      const [forgotten, kept] = [review(planned, "forgotten"), review(await plans.get("unrelated replaced")!, "kept")];
      expect(texts(forgotten.changes)).toEqual([
        `neutral · role \`mixpanel-scoped\`: no longer managed by Terraform; stays in AWS (\`${planned.module}.aws_iam_role.mixpanel\`)`,
        `neutral · resource \`${planned.module}.aws_iam_role_policy.data\`: no longer managed by Terraform; stays in AWS`,
      ]);
      for (const heading of ["## Who can assume each role", "## What each role may do", "## Bucket protections"]) {
        expect(section(reportOf(forgotten.stdout), heading)).toBe(section(reportOf(kept.stdout), heading));
      }
      expect(section(reportOf(forgotten.stdout), "## Who can assume each role")).toBe(["## Who can assume each role", "", ...TRUST_HEADER,
        `| \`mixpanel-scoped\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
      ].join("\n"));
      expect(forgotten.code).toBe(0);
    });

    test("Mixpanel's role destroyed: one destroyed notice, no second narrowing for the same role (exit 0)", async () => {
      const planned = await plans.get("mixpanel role destroyed")!;
      const result = review(planned, "destroyed");
      expect(texts(result.changes)).toEqual([
        `destroyed narrowing · role \`mixpanel-scoped\`: destroyed (\`${planned.module}.aws_iam_role.mixpanel\`): Mixpanel's exports with its ARN fail`,
        `neutral · Mixpanel form: Role, for each project token: \`${TOKEN}\`: \`arn:aws:iam::111122223333:role/mock\` → (none)`,
      ]);
      for (const name of unrelated) expect(result.stdout).not.toContain(name);
      expect(result.code).toBe(0);
    });
  });

  describe("changes planned against the deployed stack", () => {
    test("no change: nothing to report, exit 0", async () => {
      const result = review(await plans.get("unchanged")!, "unchanged");
      expect(result.changes).toEqual([]);
      expect(result.stdout).toContain("# What this plan changes for Mixpanel\n\nNo changes to what this plan grants Mixpanel or to its protections.\n");
      // The bucket and the key stay as they are: managed, not created, by this plan.
      const report = reportOf(result.stdout);
      expect(report.split("\n").filter((line) => line.startsWith("| Bucket |") || line.startsWith("**KMS key"))).toEqual([
        "| Bucket | managed by this plan, unchanged |", "**KMS key `alias/mixpanel-export`** (managed by this plan, unchanged)", `| Bucket | \`${BUCKET}\` |`,
      ]);
      expect(result.code).toBe(0);
    });

    test("a token added: widening, the role accepts one more external ID (exit 1)", async () => {
      const result = review(await plans.get("token added")!, "token");
      expect(texts(result.changes)).toEqual([
        `widening · role \`mixpanel-export\`: now also accepts external ID \`${TOKEN_C}\` from ${MIXPANEL_USER} (\`sts:AssumeRole\`)`,
        `neutral · Mixpanel form: Role, for each project token: \`${TOKEN}\`: \`arn:aws:iam::111122223333:role/mock\`; \`${TOKEN_B}\`: \`arn:aws:iam::111122223333:role/mock\` → ` +
          `\`${TOKEN_C}\`: \`arn:aws:iam::111122223333:role/mock\`; \`${TOKEN}\`: \`arn:aws:iam::111122223333:role/mock\`; \`${TOKEN_B}\`: \`arn:aws:iam::111122223333:role/mock\``,
      ]);
      expect(result.code).toBe(1);
    });

    test("versioning on: narrowing, with its lifecycle rule neutral (exit 0)", async () => {
      const result = review(await plans.get("versioning on")!, "versioning");
      expect(texts(result.changes)).toEqual([
        `narrowing · bucket \`${BUCKET}\`: Versioning: off → on`,
        `neutral · bucket \`${BUCKET}\`: lifecycle rule \`expire-noncurrent-versions\` added: every key: delete noncurrent versions after 30 days`,
      ]);
      expect(result.code).toBe(0);
    });

    test("tags added: neutral only (exit 0)", async () => {
      const result = review(await plans.get("tags added")!, "tags");
      expect(texts(result.changes)).toEqual([
        "neutral · role `mixpanel-export`: tag `team` added: `data`",
        `neutral · bucket \`${BUCKET}\`: tag \`team\` added: \`data\``,
        "neutral · KMS key `alias/mixpanel-export`: tag `team` added: `data`",
      ]);
      expect(reportOf(result.stdout).split("\n").filter((line) => line.startsWith("| Bucket |") || line.startsWith("**KMS key"))).toEqual([
        "| Bucket | updated by this plan |", "**KMS key `alias/mixpanel-export`** (updated by this plan)", `| Bucket | \`${BUCKET}\` |`,
      ]);
      expect(result.code).toBe(0);
    });

    test("the role renamed: its replacement is listed first, then the new role's trust (exit 1)", async () => {
      const planned = await plans.get("role renamed")!;
      const result = review(planned, "renamed");
      const texted = texts(result.changes);
      expect(texted[0]).toBe(`replaced neutral · role \`mixpanel-export\`: replaced by role \`mixpanel-export-v2\` (\`${planned.module}.aws_iam_role.mixpanel_role_F1BE2B07\`): ` +
        "its ARN changes, so Mixpanel's exports fail until the form has the new one");
      expect(texted.slice(1, 2)).toEqual([
        `widening · new role \`mixpanel-export-v2\`: may now be assumed by ${MIXPANEL_USER} (\`sts:AssumeRole\`) with external ID \`${TOKEN}\`, \`${TOKEN_B}\``,
      ]);
      // The old role is counted once, by its replacement: no "removed" line besides.
      expect(texted.filter((t) => t.includes(" · role `mixpanel-export`: "))).toEqual([texted[0]]);
      expect(result.stdout).toContain("⚠ **4 widening**, 0 narrowing, 2 neutral. ⚠ **1 replaced or destroyed.**\n\n- **⚠ replaced** (neutral) · role `mixpanel-export`: replaced by role");
      expect(result.code).toBe(1);
    });
  });

  describe("roots as users write them (issue 25)", () => {
    const FORM_HEADER = ["## Mixpanel pipeline form", "", "| Field | Value |", "|---|---|"];
    const KMS_ACTIONS = "`kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey`, `kms:ReEncryptTo`, `kms:GenerateDataKeyWithoutPlaintext`, `kms:DescribeKey`, `kms:ReEncryptFrom`";
    const S3_ACTIONS = "`s3:PutObject`, `s3:GetObject`, `s3:ListBucket`, `s3:DeleteObject`";
    const PAGE_SCOPING = "Prefix scoping: none, every object of the bucket (as Mixpanel's page) · Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`";
    const GRANTS_HEADER = ["| Effect | Actions | Resource | Scope | Conditions | Policy |", "|---|---|---|---|---|---|"];
    /** The plan line of a report: what it was given, and what it left out. */
    const planLine = (markdown: string) => reportOf(markdown).split("\n")[2];

    test("a key created in the root and passed as kms_key = { arn = ... }: the grants, the encryption and the form name it; its protections are reviewed", async () => {
      const planned = await plans.get("key from the root")!;
      const result = review(planned, "key-root");
      const key = `<KMS key ${planned.module}.aws_kms_key.ours>`;
      const report = reportOf(result.stdout);
      // Nothing left out: the key is the one both the role and the bucket use.
      expect(planLine(result.stdout)).toBe(`Plan \`key-root\`, module \`${planned.module}\`.`);
      expect(section(report, "### Role `mixpanel-export`")).toBe(["### Role `mixpanel-export`", "", ...GRANTS_HEADER,
        `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::acme-mixpanel-export\` | the bucket itself | none | \`mixpanel-export-data-access\` |`,
        `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::acme-mixpanel-export/*\` | every object | none | \`mixpanel-export-data-access\` |`,
        `| Allow | ${KMS_ACTIONS} | \`${key}\` (known after apply) | the key | none | \`mixpanel-export-kms\` |`, "",
        PAGE_SCOPING,
      ].join("\n"));
      expect(report).toContain(`| Default encryption | SSE-KMS with customer key \`${key}\` (known after apply) |`);
      expect(report).toContain([
        `**KMS key \`${planned.module}.aws_kms_key.ours\`** (created by this plan)`, "",
        "| Protection | State |", "|---|---|",
        "| Key rotation | on |",
        "| Deletion window | 30 days (AWS's default) |",
        "| prevent_destroy | not shown in a plan (a plan that destroys it fails when it is on) |",
        "| Key policy | AWS's default (delegates to the account's IAM policies) |",
        "| Tags | none |",
      ].join("\n"));
      expect(section(report, "## Mixpanel pipeline form")).toBe([...FORM_HEADER,
        "| Bucket | `acme-mixpanel-export` |", "| Region | `us-east-1` |",
        "| Role, for each project token | `0123…cdef`: `<ARN of role mixpanel-export>` (known after apply) |",
        "| Encryption | `KMS` |", `| KMS Key ID (empty: leave the field empty) | \`${key}\` (known after apply) |`,
      ].join("\n"));
      expect(texts(result.changes)).toContain(`widening · new role \`mixpanel-export\`: may now ${KMS_ACTIONS} on \`${key}\` (the key)`);
      expect(result.code).toBe(1);
    });

    test("a bucket of the root passed as bucket_name = aws_s3_bucket.lake.id: the role's grants name it, and its protections and region are reviewed", async () => {
      const planned = await plans.get("bucket from the root")!;
      const result = review(planned, "bucket-root");
      const report = reportOf(result.stdout);
      expect(planLine(result.stdout)).toBe(`Plan \`bucket-root\`, module \`${planned.module}\`.`);
      expect(section(report, "### Role `mixpanel-export`")).toBe(["### Role `mixpanel-export`", "", ...GRANTS_HEADER,
        `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::acme-data-lake\` | the bucket itself | none | \`mixpanel-export-data-access\` |`,
        `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::acme-data-lake/*\` | every object | none | \`mixpanel-export-data-access\` |`, "",
        PAGE_SCOPING,
      ].join("\n"));
      // The root creates the bucket; the module manages its default encryption (manage_existing_bucket = "encryption").
      expect(section(report, "## Bucket protections").split("\n").slice(0, 11)).toEqual([
        "## Bucket protections", "", "**Bucket `acme-data-lake`**", "", "| Protection | State |", "|---|---|",
        "| Bucket | created by this plan |",
        "| Block Public Access | off: no public access block |",
        "| Object Ownership | not set here (ACLs as the bucket has them) |",
        "| TLS-only bucket policy | off: requests without TLS are not refused |",
        "| Other bucket policy statements | none |",
      ]);
      expect(report).toContain("| Default encryption | SSE-S3 (`AES256`) |");
      expect(section(report, "## Mixpanel pipeline form")).toBe([...FORM_HEADER,
        "| Bucket | `acme-data-lake` |", "| Region | `us-east-2` |",
        "| Role, for each project token | `0123…cdef`: `<ARN of role mixpanel-export>` (known after apply) |",
        "| Encryption | `AES` |", "| KMS Key ID (empty: leave the field empty) | (empty) |",
      ].join("\n"));
      expect(result.code).toBe(1);
    });

    test("a role of the root given to a module of the root's own, which attaches the data policy to var.role: the grants are the role's", async () => {
      const result = review(await plans.get("role from the root")!, "role-root");
      const report = reportOf(result.stdout);
      expect(section(report, "## Who can assume each role")).toBe(["## Who can assume each role", "", ...TRUST_HEADER,
        `| \`mixpanel-*\` | ${MIXPANEL_USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
      ].join("\n"));
      expect(section(report, "### Role `mixpanel-*`")).toBe(["### Role `mixpanel-*`", "", ...GRANTS_HEADER,
        `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::acme-wrapped-export\` | the bucket itself | none | \`inline policy mixpanel-data\` |`,
        `| Allow | ${S3_ACTIONS} | \`arn:aws:s3:::acme-wrapped-export/*\` | every object | none | \`inline policy mixpanel-data\` |`, "",
        PAGE_SCOPING,
      ].join("\n"));
      expect(report).toContain("**Bucket `acme-wrapped-export`**");
      expect(result.code).toBe(1);
    });

    test("a module call given providers = { aws = aws.eu } beside an unused default provider: its region throughout, no Region change on a first deployment", async () => {
      const result = review(await plans.get("aliased provider, default unused")!, "aliased-default");
      expect(texts(result.changes).filter((t) => t.startsWith("neutral · Mixpanel form"))).toEqual([
        "neutral · Mixpanel form: Bucket: (none) → `acme-mixpanel-export-eu`",
        `neutral · Mixpanel form: Role, for each project token: (none) → \`${TOKEN}\`: \`<ARN of role mixpanel-export>\` (known after apply)`,
        "neutral · Mixpanel form: Encryption: (none) → `NONE`",
      ]);
      expect(section(reportOf(result.stdout), "## Mixpanel pipeline form").split("\n").filter((line) => line.startsWith("| Region |"))).toEqual(["| Region | `eu-central-1` |"]);
      expect(result.code).toBe(1);
    });

    test("a module call switched off (count = 0), reviewed with --module: empty, said so, exit 0; the other environment as before", async () => {
      const planned = await plans.get("staging switched off")!;
      const staging = `${planned.module}.module.staging`;
      const off = review({ ...planned, module: staging }, "off");
      expect(off).toEqual({
        code: 0, stderr: "", changes: [],
        stdout: [
          "# What this plan changes for Mixpanel", "",
          "No changes to what this plan grants Mixpanel or to its protections.", "",
          "# What this plan grants Mixpanel", "",
          `Plan \`off\`, module \`${staging}\`. \`${staging}\` has no instance in this plan (its \`count\` or \`for_each\` makes none): there is nothing of it to review.`, "",
          "## Who can assume each role", "", "No role.", "",
          "## What each role may do", "", "No role.", "",
          "## Bucket protections", "", "No bucket in this plan.", "",
          ...FORM_HEADER,
          "| Bucket | (none) |",
          "| Region | `(not in the plan: the aws provider's region)` |",
          "| Role, for each project token | (none) |",
          "| Encryption | (none) |",
          "| KMS Key ID (empty: leave the field empty) | (none) |",
          "",
        ].join("\n"),
      });
      const production = review({ ...planned, module: `${planned.module}.module.production` }, "on");
      expect(production.code).toBe(1);
      expect(section(reportOf(production.stdout), "## Mixpanel pipeline form")).toContain("| Bucket | `acme-mixpanel-production` |");
    });

    test("the Glue and Redshift roles in their own form fields; the root's CI role, whose trust is known only after apply, apart from Mixpanel's", async () => {
      const result = review(await plans.get("catalog created")!, "catalog");
      const report = reportOf(result.stdout);
      expect(section(report, "## Mixpanel pipeline form")).toBe([...FORM_HEADER,
        "| Bucket | `acme-mixpanel-catalog` |", "| Region | `us-east-1` |",
        "| Role, for each project token | `0123…cdef`: `<ARN of role mixpanel-export>` (known after apply) |",
        "| Encryption | `NONE` |", "| KMS Key ID (empty: leave the field empty) | (empty) |",
        "| Glue Role | `<ARN of role mixpanel-glue>` (known after apply) |",
        "| Redshift Role | `<ARN of role mixpanel-redshift>` (known after apply) |", "",
        "Not in the form: `github-deploy`: its trust policy is not readable in this plan (known only after apply), so the review cannot tell " +
          "whether Mixpanel's account may assume it; its permissions are listed above all the same.",
      ].join("\n"));
      // Its permissions are listed, without a prefix scoping measured against Mixpanel's page.
      expect(section(report, "### Role `github-deploy`")).toBe(["### Role `github-deploy`", "", ...GRANTS_HEADER,
        "| Allow | `s3:*` | `arn:aws:s3:::acme-mixpanel-catalog` | the bucket itself | none | `inline policy deploy` |",
        "| Allow | `s3:*` | `arn:aws:s3:::acme-mixpanel-catalog/*` | every object | none | `inline policy deploy` |", "",
        "Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
      ].join("\n"));
      expect(result.code).toBe(1);
    });

    test("a bucket the plan leaves alone is managed, unchanged; one whose configuration the plan changes is updated; neither is created", async () => {
      const bucketRow = (markdown: string) => section(reportOf(markdown), "## Bucket protections").split("\n").filter((line) => line.startsWith("| Bucket |"));
      const unchanged = review(await plans.get("catalog unchanged")!, "catalog-unchanged");
      expect([unchanged.changes, unchanged.code]).toEqual([[], 0]);
      expect(bucketRow(unchanged.stdout)).toEqual(["| Bucket | managed by this plan, unchanged |"]);
      const versioned = review(await plans.get("catalog versioning on")!, "catalog-versioning");
      expect(texts(versioned.changes)).toEqual([
        "narrowing · bucket `acme-mixpanel-catalog`: Versioning: off → on",
        "neutral · bucket `acme-mixpanel-catalog`: lifecycle rule `expire-noncurrent-versions` added: every key: delete noncurrent versions after 30 days",
      ]);
      expect(bucketRow(versioned.stdout)).toEqual(["| Bucket | updated by this plan |"]);
      // Once deployed, the CI role's trust is readable (GitHub's OIDC provider): not Mixpanel's, left out and counted.
      expect(planLine(versioned.stdout)).toContain("1 other role of the module cannot be assumed by Mixpanel's account and is left out.");
      expect(versioned.code).toBe(0);
    });

    test("an imported role with AmazonS3FullAccess attached outside the configuration: widening (exit 1), and in the report as what Mixpanel may do", async () => {
      const result = review(await plans.get("adopted role with AmazonS3FullAccess")!, "adopted-full-access");
      expect(texts(result.changes)).toEqual([
        "neutral · resource `aws_iam_role.legacy`: imported (id `legacy-mixpanel`): Terraform takes over the existing object; the changes below compare it as AWS has it with the plan",
        `widening · role \`legacy-mixpanel\`: policy \`${S3_FULL_ACCESS}\` attached outside this configuration: Mixpanel may do what it allows while it stays attached, ` +
          "which this plan does not show: review it by hand; detach after apply, once this plan's own policies are attached " +
          "(`aws iam detach-role-policy --role-name legacy-mixpanel --policy-arn <ARN>`)",
      ]);
      expect(section(reportOf(result.stdout), "### Role `legacy-mixpanel`")).toBe([
        "### Role `legacy-mixpanel`", "",
        "No permissions from policies in this plan.", "",
        `Also attached, contents not in this plan: \`${S3_FULL_ACCESS} (attached outside this configuration)\`.`, "",
        "Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
      ].join("\n"));
      expect(result.code).toBe(1);
    });
  });

  describe("the workflows' review steps, run in bash as the runner runs them, on real plans", () => {
    test("plan-review.yml with credentials: each head stack's plan is reviewed, the widening kept for the last step", async () => {
      const workspace = fs.mkdtempSync(path.join(work, "runner-"));
      fs.mkdirSync(path.join(workspace, "head"));
      fs.mkdirSync(path.join(workspace, "synth", "head", "stacks", "mixpanel-s3-export"), { recursive: true });
      const planFile = path.join(workspace, "synth", "head", "stacks", "mixpanel-s3-export", "plan.json");
      // The stack's own plan (its root is the stack), which creates the role: widening.
      fs.writeFileSync(planFile, (await plans.get("stack with a created key")!).json);
      const step = stepsOf(loadWorkflow(WORKFLOWS.stack)).find((s) => s.id === "review")!;
      const run = runStep(step, workspace, { PLAN_ROLE_ARN: "arn:aws:iam::111122223333:role/github-plan" });
      expect([run.status, run.outputs]).toEqual([0, { "exit-code": "1" }]);
      expect(fs.readFileSync(path.join(workspace, "review.md"), "utf8")).toBe(cli("review", planFile).stdout);
    });

    test("terraform-plan-review.yml: the plan JSON of a root calling the module is reviewed", async () => {
      const workspace = fs.mkdtempSync(path.join(work, "runner-"));
      fs.writeFileSync(path.join(workspace, "plan.json"), (await plans.get("module at nested addresses")!).json);
      const step = stepsOf(loadWorkflow(WORKFLOWS.terraform)).find((s) => s.id === "review")!;
      const run = runStep(step, workspace, {});
      expect([run.status, run.outputs]).toEqual([0, { "exit-code": "1" }]);
      const review = fs.readFileSync(path.join(workspace, "review.md"), "utf8");
      expect(review).toBe(cli("review", path.join(workspace, "plan.json")).stdout);
      expect(review.startsWith("# What this plan changes for Mixpanel\n\n⚠ **13 widening**")).toBe(true);
    });
  });
});
