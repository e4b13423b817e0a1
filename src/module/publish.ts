import { cpSync, readdirSync, rmSync } from "fs";
import { join } from "path";

/** The registry wants tags like v1.2.3. */
export const SEMVER_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Kept in the target repository's working tree on export: its git data, and files the repository owns. */
const KEPT = new Set([".git", "LICENSE", ".github"]);

/**
 * Makes `targetDir` (a checkout of the registry repository terraform-aws-mixpanel-s3-export) hold exactly
 * the built module: removes everything else except {@link KEPT}, then copies the build in.
 */
export function exportModule(builtDir: string, targetDir: string): void {
  for (const entry of readdirSync(targetDir)) {
    if (!KEPT.has(entry)) rmSync(join(targetDir, entry), { recursive: true, force: true });
  }
  cpSync(builtDir, targetDir, { recursive: true });
}
