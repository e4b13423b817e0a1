import * as fs from "fs";
import { stopSchemaProvider } from "./schema-provider";

/**
 * Jest globalTeardown: stops the shared provider process and removes the run's temporary folder (see
 * global-setup.ts), unless KEEP_TF_DIRS=1.
 */
export default async function globalTeardown(): Promise<void> {
  stopSchemaProvider();
  const dir = process.env.MIXPANEL_TEST_TMPDIR;
  if (dir && process.env.KEEP_TF_DIRS !== "1") fs.rmSync(dir, { recursive: true, force: true });
}
