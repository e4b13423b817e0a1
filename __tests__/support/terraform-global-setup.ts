import { terraformTier, warmPluginCache } from "./terraform";

/**
 * Jest globalSetup: where the terraform tier can run, fills the shared plugin cache with one
 * `terraform init` before any test file starts, so the tier's parallel inits only ever read the cache.
 * Costs nothing once the cache is warm; does nothing where the tier is unavailable (its suites say so).
 */
export default async function globalSetup(): Promise<void> {
  if (!terraformTier().available) return;
  await warmPluginCache();
}
