import * as fs from "fs";

/** Jest globalTeardown: removes the run's temporary folder (see global-setup.ts), unless KEEP_TF_DIRS=1. */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.MIXPANEL_TEST_TMPDIR;
  if (dir && process.env.KEEP_TF_DIRS !== "1") fs.rmSync(dir, { recursive: true, force: true });
}
