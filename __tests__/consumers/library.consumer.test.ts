/**
 * The library consumer tier: both packages packed, installed into fresh apps (cdktf and cdktn, each with the
 * oldest and the newest supported peers, pinned exactly), and used there as users use them: the app's own
 * jest test with the Testing matchers, a synth, the review command, and an offline `terraform plan` with the
 * real provider (5.100.0, the one the offline mirror holds, in place of the version the bindings pin).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pageDataModificationPolicy, pageKmsPolicy, pageTrustPolicy } from "../fixtures/mixpanel-page";
import {
  FLAVOURS,
  Flavour,
  describeLibraryConsumers,
  npmInstall,
  packLibraries,
  packagesImportedByDeclarations,
  resolvedPackageDirs,
  run,
  writeApp,
} from "../support/library-consumers";
import { PlanResult, countByType, describeTerraform, planSynthesized } from "../support/terraform";

const ROOT = path.join(__dirname, "..", "..");
/** Packing and a first install with a cold npm cache (400 MB of provider bindings each) take minutes. */
const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

const SANDBOX_TOKEN = "0123456789abcdef0123456789abcdef";
const EVENTS_TOKEN = "fedcba9876543210fedcba9876543210";
const KEY_ARN_TOKEN = "${aws_kms_key.exports.arn}";

/** The resources each app's stack plans: the app's own key, then two exports (one with the key's policy). */
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

/** One app of the tier; `ready` settles once it is installed and compiled (`tsc`). */
interface ConsumerApp {
  readonly flavour: Flavour;
  readonly dir: string;
  ready?: Promise<void>;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The synthesized resources of `type` by their `name` argument. */
function byName(resources: Resources, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(resources[type] ?? {}).map((resource) => [resource.name as string, resource]));
}

describeLibraryConsumers("library consumers", () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-library-consumers-"));
  const apps: ConsumerApp[] = FLAVOURS.map((flavour) => ({ flavour, dir: path.join(workDir, flavour.name) }));
  let tarballs: Promise<Record<string, string>>;

  beforeAll(() => {
    tarballs = packLibraries(path.join(workDir, "packages"));
    // One install after another: each unpacks a 400 MB provider package, and two cores are all there is.
    let previous: Promise<unknown> = tarballs;
    for (const app of apps) {
      app.ready = previous.then(async () => {
        writeApp(app.flavour, app.dir, (await tarballs)[app.flavour.library]);
        await npmInstall(app.dir);
        await run("npx", ["tsc"], app.dir);
      });
      previous = app.ready.catch(() => undefined);
    }
  });

  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  describe.each(apps.map((app) => [app.flavour.name, app] as const))("%s app", (_name, app) => {
    const peers = [app.flavour.core, "constructs", app.flavour.aws];

    it(`installs with the app's own copy of each peer (${peers.join(", ")}), none nested under the library`, async () => {
      await app.ready;
      const libraryDir = path.join(app.dir, "node_modules", app.flavour.library);
      expect(fs.existsSync(path.join(libraryDir, "package.json"))).toBe(true);
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

    it("compiles against the library's types and passes its own jest test with the Testing matchers", async () => {
      await app.ready;
      const resultsFile = path.join(app.dir, "jest-results.json");
      await run("npx", ["jest", "--json", `--outputFile=${resultsFile}`], app.dir);
      const results = JSON.parse(fs.readFileSync(resultsFile, "utf8"));
      expect({ passed: results.numPassedTests, failed: results.numFailedTests, total: results.numTotalTests })
        .toEqual({ passed: 4, failed: 0, total: 4 });
    }, INSTALL_TIMEOUT_MS);

    describe("synth and plan", () => {
      let synthesized: string;
      let plan: PlanResult;

      beforeAll(async () => {
        await app.ready;
        await run("node", ["out/main.js"], app.dir, { ...process.env, CHECKPOINT_DISABLE: "1" });
        synthesized = fs.readFileSync(path.join(app.dir, "cdktf.out", "stacks", "analytics", "cdk.tf.json"), "utf8");
      }, INSTALL_TIMEOUT_MS);

      it("synthesizes Mixpanel's policies exactly as the page gives them, the key's ARN and the token as references", () => {
        const resources = JSON.parse(synthesized).resource as Resources;
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

      it("reviews the app's synth with the package's review command, as this checkout's review does", async () => {
        const report = await run("npx", ["--no-install", "mixpanel-s3-export", "review", "cdktf.out"], app.dir);
        const fromSources = await run(process.execPath, [path.join(ROOT, "bin", "mixpanel-s3-export.js"), "review", "cdktf.out"], app.dir);
        expect(report).toMatch(/^# What this stack grants Mixpanel\n/);
        expect(report).toContain("`acme-analytics-events`");
        expect(report).toContain("`acme-analytics-sandbox`");
        expect(report).toBe(fromSources);
      });

      describeTerraform("terraform", () => {
        beforeAll(async () => {
          plan = await planSynthesized(synthesized, `consumer-${app.flavour.name}`, {
            variables: { mixpanel_project_token: EVENTS_TOKEN },
            pinMirroredProvider: true,
          });
        });

        it("plans offline with the real provider, creating only what the two exports and the app's key need", () => {
          expect([...new Set(plan.resourceChanges.map((change) => change.actions.join("+")))]).toEqual(["create"]);
          expect(countByType(plan.resourceChanges.map((change) => change.type))).toEqual(EXPECTED_RESOURCE_COUNTS);
        });

        it("plans the page's policies with the token from the variable; the KMS policy waits for the key's ARN", () => {
          const planned = plan.plannedValues.root_module.resources ?? [];
          const values = (type: string) => Object.fromEntries(planned.filter((resource) => resource.type === type)
            .map((resource) => [resource.values.name as string, resource.values]));
          const policies = values("aws_iam_policy");
          const roles = values("aws_iam_role");
          expect(JSON.parse(policies["events-mixpanel-export-data-access"].policy as string))
            .toEqual(pageDataModificationPolicy("acme-analytics-events"));
          expect(JSON.parse(policies["mixpanel-export-data-access"].policy as string))
            .toEqual(pageDataModificationPolicy("acme-analytics-sandbox"));
          // Known after apply: planned values leave out what the plan cannot know yet.
          expect(policies["events-mixpanel-export-kms"]).toBeDefined();
          expect(policies["events-mixpanel-export-kms"].policy).toBeUndefined();
          expect(JSON.parse(roles["events-mixpanel-export"].assume_role_policy as string)).toEqual(pageTrustPolicy(EVENTS_TOKEN));
          expect(JSON.parse(roles["mixpanel-export"].assume_role_policy as string)).toEqual(pageTrustPolicy(SANDBOX_TOKEN));
          expect(plan.plannedValues.outputs?.sandbox_bucket).toEqual({ sensitive: false, type: "string", value: "acme-analytics-sandbox" });
        });
      });
    });
  });
});
