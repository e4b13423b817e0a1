import * as fs from "fs";
import { stopProviderProcesses } from "./provider-processes";

/**
 * Jest globalTeardown: stops the provider processes and removes the run's temporary folder (see
 * global-setup.ts), unless KEEP_TF_DIRS=1.
 */
export default async function globalTeardown(): Promise<void> {
  await stopProviderProcesses();
  const dir = process.env.MIXPANEL_TEST_TMPDIR;
  if (dir && process.env.KEEP_TF_DIRS !== "1") fs.rmSync(dir, { recursive: true, force: true });
}
