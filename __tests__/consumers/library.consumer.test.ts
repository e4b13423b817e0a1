/**
 * The library consumer tier: both packages packed, installed into fresh apps (cdktf and cdktn, each with the
 * oldest and the newest supported peers, pinned exactly), and used there as users use them. Each app
 * (__tests__/consumers/library-app/) has two stacks:
 * - `analytics`: its own KMS key (its ARN a token) and a project token from a TerraformVariable for one export,
 *   and a second, plain export;
 * - `platform`: a default and an aliased provider (`eu`), an export on the aliased one with no `region` (taken
 *   from the provider), per-project roles with the tokens from TerraformVariables and a `key` each, the
 *   user's own IamRole given `grantRead`, and the user's own S3Object, IamPolicy and outputs built from
 *   `bucketName`, `bucketArn` and `roleArns`.
 * The tier compiles each app (with `exactOptionalPropertyTypes`, and a file passing `string | undefined` from
 * the environment to optional props), runs its own jest tests with the Testing matchers (among them two
 * exports without prefixes refused with the whole message, with prefixes synthesized, and a region that
 * disagrees with the provider refused), synthesizes it, compares every policy whole with Mixpanel's page and
 * the grant's whole, simulates the grant with IAM's logic, runs the review command, and plans both stacks
 * offline with the real provider (5.100.0, the one the offline mirror holds, in place of the version the
 * bindings pin), asserting each resource's provider and what the user's resources reference. It runs the
 * app's plain-JavaScript file that leaves required props out (a MixpanelSettingsError listing them, never a
 * TypeError) and the README's ES module example as written (for cdktn with cdktn's package names). The synth
 * and the review run again on each supported Node.js LTS line (support/node-versions.ts), so the cdktn apps
 * run on Node 22 and later, as their peers require, whatever node runs the tests.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pageDataModificationPolicy, pageKmsPolicy, pageTrustPolicy } from "../fixtures/mixpanel-page";
import {
  AppTestResults,
  FLAVOURS,
  Flavour,
  PackedLibraries,
  compileApps,
  describeLibraryConsumers,
  filesOfPackage,
  installApp,
  packagesImportedByDeclarations,
  packedLibraries,
  readmeEsmExample,
  resolvedPackageDirs,
  run,
  shareTools,
  testApps,
} from "../support/library-consumers";
import { StackPlan, planStacks } from "../support/batched-plans";
import { ProcessResult, runProcess } from "../support/child-process";
import {
  CREATED_KEY_ID, Decision, IamModel, OTHER_BUCKET, OTHER_KEY_ID, PolicyJson, RoleUnderTest, ACCOUNT_ID, bucketArnOf, defaultKeyPolicy, eventKey,
  expectDecision, keyArn, kmsRequest, objectArn, resolveTokens, s3Request,
} from "../support/iam";
import { NODE_LINES, nodeBinary, withNode } from "../support/node-versions";
import { countByType, describeTerraform, terraformTier } from "../support/terraform";

const ROOT = path.join(__dirname, "..", "..");
/** A first install with a cold npm cache (400 MB of provider bindings each) takes minutes. */
const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

const SANDBOX_TOKEN = "0123456789abcdef0123456789abcdef";
const EVENTS_TOKEN = "fedcba9876543210fedcba9876543210";
const WEB_TOKEN = "aaaabbbbccccddddeeeeffff00001111";
const APP_TOKEN = "2222333344445555666677778888aaaa";
const KEY_ARN_TOKEN = "${aws_kms_key.exports.arn}";

/** The app's stacks (main.ts), each with the values of its Terraform variables for the plan. */
const STACKS = {
  analytics: { mixpanel_project_token: EVENTS_TOKEN },
  platform: { web_project_token: WEB_TOKEN, app_project_token: APP_TOKEN },
} as const;
type StackName = keyof typeof STACKS;
const STACK_NAMES = Object.keys(STACKS) as StackName[];

/** The resources the analytics stack plans: the app's own key, then two exports (one with the key's policy). */
const EXPECTED_RESOURCE_COUNTS = {
  aws_kms_key: 1,
  aws_s3_bucket: 2,
  aws_s3_bucket_lifecycle_configuration: 2,
  aws_s3_bucket_ownership_controls: 2,
  aws_s3_bucket_policy: 2,
  aws_s3_bucket_public_access_block: 2,
  aws_s3_bucket_server_side_encryption_configuration: 1,
  aws_iam_policy: 3,
  aws_iam_role: 2,
  aws_iam_role_policy_attachment: 3,
};

// The platform stack's Terraform names: the construct's IDs with cdktf's hash of its path (the same in every
// app and release: the addresses users' states hold).
const PLATFORM_BUCKET = "aws_s3_bucket.exports_bucket_D7A120BD";
const PLATFORM_KEY = "aws_kms_key.exports_kms-key_D4A67E77";
const WEB_ROLE = "aws_iam_role.exports_role-web_role_9B1154D3";
const APP_ROLE = "aws_iam_role.exports_role-app_role_7BF6CA8F";
const GRANT = "aws_iam_role_policy.exports_read-reader_8DD7FB17";

/**
 * Every resource of the platform stack and the provider it names: the export's on the aliased provider `eu`
 * (`aws.eu`), the grant on the reader role's (the default, `aws`), and the user's own where the user put them.
 */
const PLATFORM_PROVIDERS: Record<string, string> = {
  "aws_iam_policy.auditor": "aws",
  "aws_iam_policy.exports_data-policy_E223F113": "aws.eu",
  "aws_iam_policy.exports_kms-policy_2CAE2D4A": "aws.eu",
  [APP_ROLE]: "aws.eu",
  [WEB_ROLE]: "aws.eu",
  "aws_iam_role.reader": "aws",
  [GRANT]: "aws",
  "aws_iam_role_policy_attachment.exports_role-app_attach-data-policy_F98B5E56": "aws.eu",
  "aws_iam_role_policy_attachment.exports_role-app_attach-kms-policy_99775F0D": "aws.eu",
  "aws_iam_role_policy_attachment.exports_role-web_attach-data-policy_7906D8F3": "aws.eu",
  "aws_iam_role_policy_attachment.exports_role-web_attach-kms-policy_E2E9829A": "aws.eu",
  "aws_kms_alias.exports_kms-alias_58D5603D": "aws.eu",
  [PLATFORM_KEY]: "aws.eu",
  [PLATFORM_BUCKET]: "aws.eu",
  "aws_s3_bucket_lifecycle_configuration.exports_bucket_lifecycle_D8C24886": "aws.eu",
  "aws_s3_bucket_ownership_controls.exports_bucket_ownership_7B1A214F": "aws.eu",
  "aws_s3_bucket_policy.exports_bucket_tls-only-policy_018B9F66": "aws.eu",
  "aws_s3_bucket_public_access_block.exports_bucket_public-access-block_82B26979": "aws.eu",
  "aws_s3_bucket_server_side_encryption_configuration.exports_bucket_encryption_445B7E3F": "aws.eu",
  "aws_s3_object.readme": "aws.eu",
};

/** What grantRead gives the reader role, whole: read the export bucket, decrypt with the export's key. */
const GRANT_POLICY = (bucket: string, keyArn: string) => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "ListMixpanelExports", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}` },
    { Sid: "ReadMixpanelExports", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` },
    { Sid: "DecryptMixpanelExports", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
  ],
});

/** The auditor policy the user writes from `bucketArn`. */
const AUDITOR_POLICY = (bucketArn: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:GetBucketPolicy", "s3:GetEncryptionConfiguration"], Resource: bucketArn }],
});

/** What missing-props.js prints: each attempt's error, whole. */
const MISSING_PROPS = [
  "mixpanel-s3-export: 2 invalid props; nothing was synthesized.",
  "  1. bucketName = (not set): a bucket name is required. Fix: use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export",
  "  2. projects[].token = (not set): at least one Mixpanel project token is required. Fix: copy the token from Mixpanel's Project Settings > Overview",
].join("\n");
const JAVASCRIPT_ERRORS = [
  { attempt: "no props", message: MISSING_PROPS },
  { attempt: "empty props", message: MISSING_PROPS },
  {
    attempt: "bucketName null",
    message: "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.\n" +
      "  1. bucketName = null: a bucket name is text. Fix: use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export",
  },
].map(({ attempt, message }) => ({ attempt, name: "MixpanelSettingsError", mixpanelSettingsError: true, typeError: false, message }));

/** The reader role's requests, with what IAM must decide (simulated against the app's synthesized grant). */
const READER_REQUESTS: readonly { name: string; decision: Decision; request: (reader: Reader) => ReturnType<typeof s3Request> }[] = [
  { name: "s3:GetObject on an export file", decision: "Allowed", request: (r) => s3Request(r.model, r.role, "s3:GetObject", objectArn(r.bucket, eventKey("1001"))) },
  { name: "s3:ListBucket on the export bucket", decision: "Allowed", request: (r) => s3Request(r.model, r.role, "s3:ListBucket", bucketArnOf(r.bucket)) },
  { name: "kms:Decrypt with the export's key", decision: "Allowed", request: (r) => kmsRequest(r.role, "kms:Decrypt", r.keyArn, defaultKeyPolicy()) },
  { name: "s3:GetObject without TLS", decision: "ExplicitlyDenied",
    request: (r) => s3Request(r.model, r.role, "s3:GetObject", objectArn(r.bucket, eventKey("1001")), { secureTransport: false }) },
  ...["s3:PutObject", "s3:DeleteObject"].map((action) => ({
    name: `${action} on an export file`, decision: "ImplicitlyDenied" as const,
    request: (r: Reader) => s3Request(r.model, r.role, action, objectArn(r.bucket, eventKey("1001"))),
  })),
  { name: "s3:GetObject in another bucket", decision: "ImplicitlyDenied", request: (r) => s3Request(r.model, r.role, "s3:GetObject", objectArn(OTHER_BUCKET, "x.json")) },
  { name: "s3:ListBucket on another bucket", decision: "ImplicitlyDenied", request: (r) => s3Request(r.model, r.role, "s3:ListBucket", bucketArnOf(OTHER_BUCKET)) },
  { name: "kms:Encrypt with the export's key", decision: "ImplicitlyDenied", request: (r) => kmsRequest(r.role, "kms:Encrypt", r.keyArn, defaultKeyPolicy()) },
  { name: "kms:Decrypt with another key", decision: "ImplicitlyDenied",
    request: (r) => kmsRequest(r.role, "kms:Decrypt", keyArn("eu-west-3", OTHER_KEY_ID), defaultKeyPolicy()) },
];

/** The platform stack's reader role as IAM sees it once applied: its one inline policy, the bucket's policy. */
interface Reader {
  readonly model: IamModel;
  readonly role: RoleUnderTest;
  readonly bucket: string;
  readonly keyArn: string;
}

/** One app of the tier; beforeAll starts its steps, each as soon as what it needs is done. */
interface ConsumerApp {
  readonly flavour: Flavour;
  readonly dir: string;
  steps?: {
    readonly installed: Promise<void>;
    /** Installed and compiled (`tsc`). */
    readonly ready: Promise<void>;
    readonly tested: Promise<AppTestResults>;
    /** missing-props.js run with node, once installed. */
    readonly javascript: Promise<ProcessResult>;
    /** The README's ES module example run with node, once installed; its output folder. */
    readonly esm: Promise<{ result: ProcessResult; outdir: string }>;
  };
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The synthesized resources of `type` by their `name` argument. */
function byName(resources: Resources, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(resources[type] ?? {}).map((resource) => [resource.name as string, resource]));
}

/** The synthesized resources by address (`type.name`), without cdktf's metadata (`"//"`). */
function byAddress(resources: Resources): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(resources).flatMap(([type, named]) =>
    Object.entries(named).map(([name, { "//": _metadata, ...resource }]) => [`${type}.${name}`, resource])));
}

/** The planned resources of `type` by their `name` value. */
function plannedByName(plan: StackPlan, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries((plan.plannedValues.root_module.resources ?? []).filter((resource) => resource.type === type)
    .map((resource) => [resource.values.name as string, resource.values]));
}

/** Started work the tests await later: its failure is theirs to report, not an unhandled rejection. */
const started: Promise<unknown>[] = [];
function start<T>(promise: Promise<T>): Promise<T> {
  started.push(promise.catch(() => undefined));
  return promise;
}

/** Each stack of an app, by name. */
type AppStacks<T> = Record<StackName, T>;

/**
 * Plans every app's stacks offline with the real provider, all as modules of one root; the one place the tier
 * plans. An app whose synth failed fails only its own plan tests.
 */
function planApps(synths: ReadonlyMap<string, Promise<AppStacks<string>>>): Map<string, Promise<AppStacks<StackPlan>>> {
  const apps = [...synths.keys()];
  const synthesized = Promise.allSettled([...synths.values()]);
  const planned = start(synthesized.then((settled) => planStacks(apps.flatMap((app, i) => {
    const outcome = settled[i];
    return outcome.status === "fulfilled"
      ? STACK_NAMES.map((stack) => ({ name: `${app}/${stack}`, synthesized: outcome.value[stack], variables: STACKS[stack] })) : [];
  }), "consumers", { pinMirroredProvider: true })));
  return new Map(apps.map((app) => [app, start(planned.then((plans) => {
    if (!plans.has(`${app}/analytics`)) throw new Error(`${app}: its synth failed, so it was not planned`);
    return Object.fromEntries(STACK_NAMES.map((stack) => [stack, plans.get(`${app}/${stack}`)!])) as AppStacks<StackPlan>;
  }))]));
}

/** Reads the synthesized stacks of the app in `dir` from its output folder `outdir`. */
function readStacks(outdir: string): AppStacks<string> {
  return Object.fromEntries(STACK_NAMES.map((stack) => [stack, fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")])) as AppStacks<string>;
}

describeLibraryConsumers("library consumers", () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-library-consumers-"));
  const apps: ConsumerApp[] = FLAVOURS.map((flavour) => ({ flavour, dir: path.join(workDir, flavour.name) }));
  /** Each app's synthesized stacks (cdk.tf.json), by flavour name. */
  const synths = new Map<string, Promise<AppStacks<string>>>();
  let plans: Map<string, Promise<AppStacks<StackPlan>>> | undefined;
  let packed: Promise<PackedLibraries>;

  // Every step of every app starts here; the tests await them. Installs run side by side (each is mostly
  // npm's start and a small tarball); once all are installed, one `tsc -b` compiles the apps and one jest
  // runs their tests, while each app synthesizes.
  beforeAll(() => {
    shareTools(workDir);
    packed = start(packedLibraries());
    /** The names of the apps whose step succeeded, given one settled step per app. */
    const succeeded = (settled: PromiseSettledResult<unknown>[]) =>
      apps.filter((_app, index) => settled[index].status === "fulfilled").map((app) => app.flavour.name);
    const installed = apps.map((app) =>
      start(installApp(app.flavour, app.dir, packed.then((libraries) => libraries[app.flavour.library].tarball))));
    const compiled = start(Promise.allSettled(installed).then((installs) => compileApps(workDir, succeeded(installs))));
    const ready = apps.map((app, index) => start(installed[index].then(() => compiled).then((errors) => {
      const problem = errors.get(app.flavour.name);
      if (problem !== undefined) throw new Error(`the app does not compile:\n${problem}`);
    })));
    const tested = start(Promise.allSettled(ready).then((compiles) => testApps(workDir, succeeded(compiles))));
    apps.forEach((app, index) => {
      app.steps = {
        installed: installed[index],
        ready: ready[index],
        tested: start(ready[index].then(() => tested).then((results) => results.get(app.flavour.name)!)),
        javascript: start(installed[index].then(() => runProcess("node", ["missing-props.js"],
          { cwd: app.dir, env: { ...process.env, CDKTF_OUTDIR: path.join(app.dir, "cdktf.out.javascript") } }))),
        esm: start(installed[index].then(async () => {
          fs.writeFileSync(path.join(app.dir, "readme-example.mjs"), readmeEsmExample(app.flavour));
          const outdir = path.join(app.dir, "cdktf.out.esm");
          const result = await runProcess("node", ["readme-example.mjs"], { cwd: app.dir, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" } });
          return { result, outdir };
        })),
      };
      synths.set(app.flavour.name, start(ready[index]
        .then(() => run("node", ["out/main.js"], app.dir, { ...process.env, CHECKPOINT_DISABLE: "1" }))
        .then(() => readStacks(path.join(app.dir, "cdktf.out")))));
    });
    // The plan starts once every app has synthesized, beside the tests that come before it.
    if (terraformTier().available) plans = planApps(synths);
  });

  afterAll(async () => {
    await Promise.all(started);
    // rm, not fs.rmSync: half the CPU for the apps' 28,000 links.
    await run("rm", ["-rf", workDir], os.tmpdir());
  }, INSTALL_TIMEOUT_MS);

  describe.each(apps.map((app) => [app.flavour.name, app] as const))("%s app", (_name, app) => {
    const peers = [app.flavour.core, "constructs", app.flavour.aws];

    it(`installs with the app's own copy of each peer (${peers.join(", ")}), none nested under the library`, async () => {
      await app.steps!.installed;
      const libraryDir = path.join(app.dir, "node_modules", app.flavour.library);
      // Exactly what this run packed: every file, at its size.
      const byPath = (files: readonly { path: string; size: number }[]) => [...files].sort((a, b) => a.path.localeCompare(b.path));
      expect(byPath(filesOfPackage(libraryDir))).toEqual(byPath((await packed)[app.flavour.library].files.map(({ path, size }) => ({ path, size }))));
      expect(fs.existsSync(path.join(libraryDir, "node_modules"))).toBe(false);
      const fromApp = resolvedPackageDirs(app.dir, peers);
      expect(resolvedPackageDirs(libraryDir, peers)).toEqual(fromApp);
      const versions = Object.fromEntries(peers.map((peer) =>
        [peer, JSON.parse(fs.readFileSync(path.join(fromApp[peer]!, "package.json"), "utf8")).version]));
      expect(versions).toEqual({
        [app.flavour.core]: app.flavour.versions.core,
        constructs: app.flavour.versions.constructs,
        [app.flavour.aws]: app.flavour.versions.aws,
      });
      // The library's declarations name only its peers: nothing that would type as `any` in the app.
      expect(packagesImportedByDeclarations(libraryDir)).toEqual([...peers].sort());
    }, INSTALL_TIMEOUT_MS);

    it("compiles against the library's types with exactOptionalPropertyTypes and passes its own jest tests with the Testing matchers", async () => {
      await app.steps!.ready;
      // analytics-stack.test.ts 7 (4 of the stack, 3 of two exports in a stack), platform-stack.test.ts 4, from-environment.test.ts 2.
      expect(await app.steps!.tested).toEqual({ passed: 13, failed: 0, total: 13 });
    }, INSTALL_TIMEOUT_MS);

    it("from plain JavaScript with required props left out: a MixpanelSettingsError listing them, never a TypeError", async () => {
      const result = await app.steps!.javascript;
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
      expect(result.stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual(JAVASCRIPT_ERRORS);
    }, INSTALL_TIMEOUT_MS);

    it("runs the README's ES module example as written (in a cdktn app, with cdktn's package names), printing nothing, and synthesizes its export", async () => {
      const { result, outdir } = await app.steps!.esm;
      expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
      const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "analytics", "cdk.tf.json"), "utf8"));
      const roles = byName(stack.resource, "aws_iam_role");
      const policies = byName(stack.resource, "aws_iam_policy");
      expect(Object.keys(roles)).toEqual(["events-mixpanel-export"]);
      expect(JSON.parse(roles["events-mixpanel-export"].assume_role_policy as string)).toEqual(pageTrustPolicy("${var.mixpanel_project_token}"));
      expect(Object.keys(policies).sort()).toEqual(["events-mixpanel-export-data-access", "events-mixpanel-export-kms"]);
      expect(JSON.parse(policies["events-mixpanel-export-data-access"].policy as string)).toEqual(pageDataModificationPolicy("acme-analytics-events"));
      expect(JSON.parse(policies["events-mixpanel-export-kms"].policy as string)).toEqual(pageKmsPolicy(KEY_ARN_TOKEN));
      expect(stack.output).toEqual({ events_role_arn: { value: expect.stringMatching(/^\$\{aws_iam_role\.events_role_[A-Za-z0-9_-]+\.arn\}$/) } });
    }, INSTALL_TIMEOUT_MS);

    describe("synth and plan", () => {
      let synthesized: AppStacks<string>;
      let plan: AppStacks<StackPlan>;

      beforeAll(async () => {
        synthesized = await synths.get(app.flavour.name)!;
      }, INSTALL_TIMEOUT_MS);

      it("synthesizes Mixpanel's policies exactly as the page gives them, the key's ARN and the token as references", () => {
        const resources = JSON.parse(synthesized.analytics).resource as Resources;
        const policies = byName(resources, "aws_iam_policy");
        const roles = byName(resources, "aws_iam_role");
        expect(Object.keys(policies).sort()).toEqual(
          ["events-mixpanel-export-data-access", "events-mixpanel-export-kms", "mixpanel-export-data-access"]);
        expect(JSON.parse(policies["events-mixpanel-export-data-access"].policy as string))
          .toEqual(pageDataModificationPolicy("acme-analytics-events"));
        expect(JSON.parse(policies["events-mixpanel-export-kms"].policy as string)).toEqual(pageKmsPolicy(KEY_ARN_TOKEN));
        expect(JSON.parse(policies["mixpanel-export-data-access"].policy as string))
          .toEqual(pageDataModificationPolicy("acme-analytics-sandbox"));
        expect(Object.keys(roles).sort()).toEqual(["events-mixpanel-export", "mixpanel-export"]);
        expect(JSON.parse(roles["events-mixpanel-export"].assume_role_policy as string))
          .toEqual(pageTrustPolicy("${var.mixpanel_project_token}"));
        expect(JSON.parse(roles["mixpanel-export"].assume_role_policy as string)).toEqual(pageTrustPolicy(SANDBOX_TOKEN));
      });

      describe("the platform stack", () => {
        let resources: Record<string, Record<string, unknown>>;
        beforeAll(() => {
          resources = byAddress(JSON.parse(synthesized.platform).resource as Resources);
        });

        it("puts every resource of the export on the aliased provider, the grant on the reader role's, the user's own where they are put", () => {
          expect(JSON.parse(synthesized.platform).provider).toEqual({ aws: [{ region: "us-east-1" }, { alias: "eu", region: "eu-west-3" }] });
          expect(Object.fromEntries(Object.entries(resources).map(([address, resource]) => [address, (resource.provider as string | undefined) ?? "aws"])))
            .toEqual(PLATFORM_PROVIDERS);
          // No data source: the region is the aliased provider's literal one.
          expect(JSON.parse(synthesized.platform).data).toBeUndefined();
        });

        it("gives each project a role keyed by its key, trusting its token from the variable", () => {
          expect(JSON.parse(resources[WEB_ROLE].assume_role_policy as string)).toEqual(pageTrustPolicy("${var.web_project_token}"));
          expect(JSON.parse(resources[APP_ROLE].assume_role_policy as string)).toEqual(pageTrustPolicy("${var.app_project_token}"));
          expect([resources[WEB_ROLE].name, resources[APP_ROLE].name])
            .toEqual(["platform-mixpanel-export-${var.web_project_token}", "platform-mixpanel-export-${var.app_project_token}"]);
        });

        it("grants the reader role read access to the export bucket and its key, in one inline policy", () => {
          const { policy, ...grant } = resources[GRANT];
          expect(grant).toEqual({ name: "platform-mixpanel-export-read", role: "${aws_iam_role.reader.name}" });
          expect(JSON.parse(policy as string)).toEqual(GRANT_POLICY("acme-platform-exports", `\${${PLATFORM_KEY}.arn}`));
        });

        it("builds the user's own resources and outputs from the bucket's references and the roles' ARNs", () => {
          expect(resources["aws_s3_object.readme"]).toEqual({
            provider: "aws.eu",
            bucket: `\${${PLATFORM_BUCKET}.bucket}`,
            key: "README.txt",
            content: "Mixpanel's exports, one folder per project. Owned by the platform team.\n",
          });
          expect(JSON.parse(resources["aws_iam_policy.auditor"].policy as string)).toEqual(AUDITOR_POLICY(`\${${PLATFORM_BUCKET}.arn}`));
          expect(JSON.parse(synthesized.platform).output).toEqual({
            region: { value: "eu-west-3" },
            bucket_arn: { value: `\${${PLATFORM_BUCKET}.arn}` },
            web_role_arn: { value: `\${${WEB_ROLE}.arn}` },
            app_role_arn: { value: `\${${APP_ROLE}.arn}` },
          });
        });

        describe("the reader role's requests, as IAM decides them once applied", () => {
          let reader: Reader;
          beforeAll(() => {
            // The account's values once applied (support/iam.ts), in the export's region, eu-west-3.
            const typed = JSON.parse(synthesized.platform).resource as Resources;
            const resolved = (text: unknown) => JSON.parse(resolveTokens(text as string, typed, "eu-west-3")) as PolicyJson;
            const grant = { name: resources[GRANT].name as string, policy: resolved(resources[GRANT].policy) };
            const role: RoleUnderTest = {
              address: "aws_iam_role.reader",
              name: "platform-export-reader",
              arn: `arn:aws:iam::${ACCOUNT_ID}:role/platform-export-reader`,
              sessionArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/platform-export-reader/glue-job`,
              trustPolicy: JSON.parse(resources["aws_iam_role.reader"].assume_role_policy as string) as PolicyJson,
              identityPolicies: [grant],
              externalIds: [],
            };
            const bucketPolicy = resolved(resources["aws_s3_bucket_policy.exports_bucket_tls-only-policy_018B9F66"].policy);
            reader = {
              model: { region: "eu-west-3", roles: [role], bucketPolicies: { "acme-platform-exports": bucketPolicy }, policies: [] },
              role,
              bucket: "acme-platform-exports",
              keyArn: keyArn("eu-west-3", CREATED_KEY_ID),
            };
          });

          it.each(READER_REQUESTS.map((request) => [request.name, request] as const))("%s", async (_name, { name, decision, request }) => {
            await expectDecision(name, request(reader), decision);
          });
        });
      });

      it("reviews the app's synth with the package's review command, as this checkout's review does", async () => {
        // The command the package links into node_modules/.bin, as `npx` and npm scripts find it.
        const [report, fromSources] = await Promise.all([
          run(path.join(app.dir, "node_modules", ".bin", "mixpanel-s3-export"), ["review", "cdktf.out"], app.dir),
          run(process.execPath, [path.join(ROOT, "bin", "mixpanel-s3-export.js"), "review", "cdktf.out"], app.dir),
        ]);
        expect(report).toMatch(/^# What this stack grants Mixpanel\n/);
        expect(report).toContain("`acme-analytics-events`");
        expect(report).toContain("`acme-analytics-sandbox`");
        expect(report).toContain("`acme-platform-exports`");
        // The grant, under the reader role.
        expect(report).toContain("| Allow | `s3:ListBucket` | `arn:aws:s3:::acme-platform-exports` | the bucket itself | none | `inline policy platform-mixpanel-export-read` |\n");
        expect(report).toBe(fromSources);
      });

      it.each(NODE_LINES.map((line) => [line.version, line] as const))(
        "on Node %s: synthesizes the same stacks and prints the same review, with nothing on stderr", async (_version, line) => {
          const binary = await nodeBinary(line);
          const outdir = path.join(app.dir, `cdktf.out.node-${line.version}`);
          const synth = await runProcess("node", ["out/main.js"], { cwd: app.dir, env: withNode(binary, { ...process.env, CDKTF_OUTDIR: outdir }) });
          expect({ code: synth.code, stdout: synth.stdout, stderr: synth.stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
          expect(readStacks(outdir)).toEqual(synthesized);
          const bin = path.join(app.dir, "node_modules", ".bin", "mixpanel-s3-export");
          const [review, onThisNode] = await Promise.all([
            runProcess(bin, ["review", outdir], { cwd: app.dir, env: withNode(binary) }),
            runProcess(process.execPath, [bin, "review", outdir], { cwd: app.dir }),
          ]);
          expect(review.code).toBe(0);
          expect(review).toEqual(onThisNode);
        }, INSTALL_TIMEOUT_MS);

      describeTerraform("terraform", () => {
        beforeAll(async () => {
          plan = await plans!.get(app.flavour.name)!;
        });

        it("plans offline with the real provider, creating only what the two exports and the app's key need", () => {
          expect([...new Set(plan.analytics.resourceChanges.map((change) => change.actions.join("+")))]).toEqual(["create"]);
          expect(countByType(plan.analytics.resourceChanges.map((change) => change.type))).toEqual(EXPECTED_RESOURCE_COUNTS);
        });

        it("plans the page's policies with the token from the variable; the KMS policy waits for the key's ARN", () => {
          const policies = plannedByName(plan.analytics, "aws_iam_policy");
          const roles = plannedByName(plan.analytics, "aws_iam_role");
          expect(JSON.parse(policies["events-mixpanel-export-data-access"].policy as string))
            .toEqual(pageDataModificationPolicy("acme-analytics-events"));
          expect(JSON.parse(policies["mixpanel-export-data-access"].policy as string))
            .toEqual(pageDataModificationPolicy("acme-analytics-sandbox"));
          // Known after apply: planned values leave out what the plan cannot know yet.
          expect(policies["events-mixpanel-export-kms"]).toBeDefined();
          expect(policies["events-mixpanel-export-kms"].policy).toBeUndefined();
          expect(JSON.parse(roles["events-mixpanel-export"].assume_role_policy as string)).toEqual(pageTrustPolicy(EVENTS_TOKEN));
          expect(JSON.parse(roles["mixpanel-export"].assume_role_policy as string)).toEqual(pageTrustPolicy(SANDBOX_TOKEN));
          expect(plan.analytics.plannedValues.outputs?.sandbox_bucket).toEqual({ sensitive: false, type: "string", value: "acme-analytics-sandbox" });
        });

        it("plans the platform stack: every resource created, each with the provider it names (the export's the aliased one)", () => {
          expect(Object.fromEntries(plan.platform.resourceChanges.map((change) => [change.address, change.actions])))
            .toEqual(Object.fromEntries(Object.keys(PLATFORM_PROVIDERS).map((address) => [address, ["create"]])));
          // Each resource's provider, as the plan resolved it: the batch root's configuration it was given (support/batched-plans.ts
          // lifts each distinct provider block into the root), told by its region.
          const regionOf = (key: string) => plan.platform.providerConfig[key]?.expressions?.region?.constant_value;
          expect(Object.fromEntries(plan.platform.configuration.resources!.map((resource) => [resource.address, regionOf(resource.provider_config_key)])))
            .toEqual(Object.fromEntries(Object.entries(PLATFORM_PROVIDERS).map(([address, provider]) => [address, provider === "aws.eu" ? "eu-west-3" : "us-east-1"])));
          expect(plan.platform.plannedValues.outputs?.region).toEqual({ sensitive: false, type: "string", value: "eu-west-3" });
        });

        it("orders the user's resources after the bucket they reference, their values computed from it", () => {
          const expressions = (address: string) => plan.platform.configuration.resources!.find((resource) => resource.address === address)!.expressions!;
          expect(expressions("aws_s3_object.readme").bucket)
            .toEqual({ constant_value: `\${${PLATFORM_BUCKET}.bucket}`, references: [`${PLATFORM_BUCKET}.bucket`, PLATFORM_BUCKET] });
          expect(expressions("aws_iam_policy.auditor").policy!.references).toEqual([`${PLATFORM_BUCKET}.arn`, PLATFORM_BUCKET]);
          // The object's bucket is the bucket's name as planned; the auditor's policy waits for the bucket's ARN.
          expect(plan.platform.after["aws_s3_object.readme"].bucket).toBe("acme-platform-exports");
          expect(plan.platform.after["aws_iam_policy.auditor"].policy).toBeUndefined();
          expect(plan.platform.afterUnknown["aws_iam_policy.auditor"].policy).toBe(true);
          expect(plan.platform.outputChanges.bucket_arn).toEqual(expect.objectContaining({ actions: ["create"], after_unknown: true }));
        });

        it("plans each project's role with its token from the variable, and the grant on the reader role, its policy once the key's ARN is known", () => {
          const roles = plannedByName(plan.platform, "aws_iam_role");
          expect(Object.keys(roles).sort()).toEqual([`platform-mixpanel-export-${APP_TOKEN}`, `platform-mixpanel-export-${WEB_TOKEN}`, "platform-export-reader"].sort());
          expect(JSON.parse(roles[`platform-mixpanel-export-${WEB_TOKEN}`].assume_role_policy as string)).toEqual(pageTrustPolicy(WEB_TOKEN));
          expect(JSON.parse(roles[`platform-mixpanel-export-${APP_TOKEN}`].assume_role_policy as string)).toEqual(pageTrustPolicy(APP_TOKEN));
          expect(plan.platform.after[GRANT]).toEqual({ name: "platform-mixpanel-export-read", role: "platform-export-reader" });
          expect(plan.platform.afterUnknown[GRANT]).toEqual({ id: true, name_prefix: true, policy: true });
        });
      });
    });
  });
});
