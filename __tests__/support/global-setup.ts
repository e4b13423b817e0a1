import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startProviderProcesses } from "./provider-processes";

/**
 * Jest globalSetup.
 * - Gives the run a temporary folder of its own (TMPDIR, inherited by the workers and by terraform), which
 *   the globalTeardown removes: every `Testing.app()` leaves a `cdktf.outdir.*` folder behind, thousands a run.
 * - Pins, before that, the folders kept across runs: terraform's (MIXPANEL_TF_HOME) and the library consumer
 *   tier's installs (MIXPANEL_INSTALL_CACHE, see install-cache.ts).
 * - Where the terraform tier runs and can run, fills the shared plugin cache (kept outside that folder, across
 *   runs) with one `terraform init` before any test file starts, so the tier's parallel inits only ever read
 *   it, and starts the provider processes that terraform commands attach to (provider-processes.ts).
 */
export default async function globalSetup(): Promise<void> {
  process.env.MIXPANEL_TF_HOME ??= path.join(os.tmpdir(), "mixpanel-s3-export-tf");
  process.env.MIXPANEL_INSTALL_CACHE ??= path.join(os.tmpdir(), "mixpanel-s3-export-installs");
  process.env.MIXPANEL_TEST_TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-s3-export-test-"));
  process.env.TMPDIR = process.env.MIXPANEL_TEST_TMPDIR;
  // `npm run test:unit` runs no terraform. Loaded after the variables are set: it reads them when it loads.
  if (process.env.MIXPANEL_UNIT_ONLY === "1") return;
  const { mirroredProviderBinary, terraformTier, warmPluginCache } = await import("./terraform");
  if (!terraformTier().available) return;
  await warmPluginCache();
  await startProviderProcesses(mirroredProviderBinary(), process.env.MIXPANEL_TEST_TMPDIR);
}
