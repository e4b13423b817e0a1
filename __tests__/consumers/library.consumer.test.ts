/**
 * The library consumer tier: both packages packed, installed into fresh apps (cdktf and cdktn, each with the
 * oldest and the newest supported peers, pinned exactly), and used there as users use them: the app's own
 * jest test with the Testing matchers, a synth, the review command, and an offline `terraform plan` with the
 * real provider (5.100.0, the one the offline mirror holds, in place of the version the bindings pin). The
 * synth and the review run again on each supported Node.js LTS line (support/node-versions.ts), so the cdktn
 * apps run on Node 22 and later, as their peers require, whatever node runs the tests.
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
  resolvedPackageDirs,
  run,
  shareTools,
  testApps,
} from "../support/library-consumers";
import { planStacks } from "../support/batched-plans";
import { runProcess } from "../support/child-process";
import { NODE_LINES, nodeBinary, withNode } from "../support/node-versions";
import { PlanResult, countByType, describeTerraform } from "../support/terraform";

const ROOT = path.join(__dirname, "..", "..");
/** A first install with a cold npm cache (400 MB of provider bindings each) takes minutes. */
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

/** One app of the tier; beforeAll starts its steps, each as soon as what it needs is done. */
interface ConsumerApp {
  readonly flavour: Flavour;
  readonly dir: string;
  steps?: {
    readonly installed: Promise<void>;
    /** Installed and compiled (`tsc`). */
    readonly ready: Promise<void>;
    readonly tested: Promise<AppTestResults>;
  };
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The synthesized resources of `type` by their `name` argument. */
function byName(resources: Resources, type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(resources[type] ?? {}).map((resource) => [resource.name as string, resource]));
}

/** Started work the tests await later: its failure is theirs to report, not an unhandled rejection. */
const started: Promise<unknown>[] = [];
function start<T>(promise: Promise<T>): Promise<T> {
  started.push(promise.catch(() => undefined));
  return promise;
}

/**
 * Plans every app's stack offline with the real provider, the stacks as modules of one root; the one place
 * the tier plans. An app whose synth failed fails only its own plan tests.
 */
function planApps(stacks: ReadonlyMap<string, Promise<string>>): Map<string, Promise<PlanResult>> {
  const synthesized = Promise.allSettled([...stacks.values()]);
  const planned = start(synthesized.then((settled) => planStacks([...stacks.keys()].flatMap((name, i) => {
    const outcome = settled[i];
    return outcome.status === "fulfilled" ? [{ name, synthesized: outcome.value, variables: { mixpanel_project_token: EVENTS_TOKEN } }] : [];
  }), "consumers", { pinMirroredProvider: true })));
  return new Map([...stacks.keys()].map((name) => [name, start(planned.then((plans) => {
    const plan = plans.get(name);
    if (plan === undefined) throw new Error(`${name}: its synth failed, so it was not planned`);
    return plan;
  }))]));
}

describeLibraryConsumers("library consumers", () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-library-consumers-"));
  const apps: ConsumerApp[] = FLAVOURS.map((flavour) => ({ flavour, dir: path.join(workDir, flavour.name) }));
  /** Each app's synthesized stack (cdk.tf.json), by flavour name. */
  const stacks = new Map<string, Promise<string>>();
  let plans: Map<string, Promise<PlanResult>> | undefined;
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
      };
      stacks.set(app.flavour.name, start(ready[index]
        .then(() => run("node", ["out/main.js"], app.dir, { ...process.env, CHECKPOINT_DISABLE: "1" }))
        .then(() => fs.readFileSync(path.join(app.dir, "cdktf.out", "stacks", "analytics", "cdk.tf.json"), "utf8"))));
    });
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

    it("compiles against the library's types and passes its own jest test with the Testing matchers", async () => {
      await app.steps!.ready;
      expect(await app.steps!.tested).toEqual({ passed: 4, failed: 0, total: 4 });
    }, INSTALL_TIMEOUT_MS);

    describe("synth and plan", () => {
      let synthesized: string;
      let plan: PlanResult;

      beforeAll(async () => {
        synthesized = await stacks.get(app.flavour.name)!;
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
        // The command the package links into node_modules/.bin, as `npx` and npm scripts find it.
        const report = await run(path.join(app.dir, "node_modules", ".bin", "mixpanel-s3-export"), ["review", "cdktf.out"], app.dir);
        const fromSources = await run(process.execPath, [path.join(ROOT, "bin", "mixpanel-s3-export.js"), "review", "cdktf.out"], app.dir);
        expect(report).toMatch(/^# What this stack grants Mixpanel\n/);
        expect(report).toContain("`acme-analytics-events`");
        expect(report).toContain("`acme-analytics-sandbox`");
        expect(report).toBe(fromSources);
      });

      it.each(NODE_LINES.map((line) => [line.version, line] as const))(
        "on Node %s: synthesizes the same stack and prints the same review, with nothing on stderr", async (_version, line) => {
          const binary = await nodeBinary(line);
          const outdir = path.join(app.dir, `cdktf.out.node-${line.version}`);
          const synth = await runProcess("node", ["out/main.js"], { cwd: app.dir, env: withNode(binary, { ...process.env, CDKTF_OUTDIR: outdir }) });
          expect({ code: synth.code, stdout: synth.stdout, stderr: synth.stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
          expect(fs.readFileSync(path.join(outdir, "stacks", "analytics", "cdk.tf.json"), "utf8")).toBe(synthesized);
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
          plans ??= planApps(stacks);
          plan = await plans.get(app.flavour.name)!;
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
