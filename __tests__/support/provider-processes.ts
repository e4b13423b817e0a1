/**
 * AWS provider processes that the terraform commands of a run attach to (`TF_REATTACH_PROVIDERS`, each
 * provider started with `-debug`), instead of each command starting the 700 MB provider binary once per
 * provider block and walk (a `plan` starts it twice: to validate, then to plan).
 *
 * - The schema provider: shared by every command that needs only the provider's schema (`validate`, `show
 *   -json`, `terraform test` runs whose providers are all mocks), side by side: none of them configures it.
 * - The leased providers: each serves one piece of work at a time (a root's `plan`s, or a `terraform test` of
 *   real-provider runs), leased by {@link withLeasedProvider}. A provider process holds ONE configuration
 *   (region, settings): work may attach to it only where its configurations never overlap, that is where
 *   the root (or each run's root, runs going one after the other) has a single provider configuration.
 *   Roots with several provider blocks (aliases), and work that finds every leased provider busy, start
 *   their own provider processes as terraform does by default.
 *
 * Leased providers run without AWS_CA_BUNDLE: the provider wraps its HTTP client with that bundle when it is
 * configured, and a process configured a second time then fails ("unable to add custom RootCAs HTTPClient").
 * Every plan here is offline and never opens a connection. Measured on the module-consumer roots: the same
 * `resource_changes` and diagnostics as with their own provider processes, for 13 instead of 23 CPU-seconds.
 *
 * Terraform attaches to each through a proxy in the jest process that answers the schema request with the
 * schemas of the types these tests use only (provider-schema-proxy.ts): loading the whole 13 MB schema is
 * most of what a small plan or `show` costs.
 *
 * The jest globalSetup starts them (where the terraform tier can run) and the globalTeardown stops them; a
 * watchdog ends each with the jest process should the teardown never run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ProviderSchemaProxy, startProviderSchemaProxy } from "./provider-schema-proxy";

/** How many leased providers: enough that the work of both jest workers (a file plans several roots side by side) rarely finds all busy. */
const LEASED = 4;

/** What the workers read: how to attach to each process, and the folder of the leases. */
const SETTINGS = "MIXPANEL_TF_PROVIDERS";

interface ProviderSettings {
  /** `TF_REATTACH_PROVIDERS` of the schema provider. */
  readonly schema: string;
  /** `TF_REATTACH_PROVIDERS` of the schema provider itself, not through its proxy: its whole schema. */
  readonly wholeSchema: string;
  /** `TF_REATTACH_PROVIDERS` of each leased provider. */
  readonly leased: readonly string[];
  /** Holds `lease-<i>` while provider i is leased (made with mkdir, atomic across the workers). */
  readonly leases: string;
  /** The watchdog shells' process groups, to stop them. */
  readonly groups: readonly number[];
}

/** Starts the schema provider and the leased ones from `binary`, their logs and leases under `dir`. */
export async function startProviderProcesses(binary: string, dir: string): Promise<void> {
  const leases = path.join(dir, "provider-leases");
  fs.mkdirSync(leases, { recursive: true });
  const { AWS_CA_BUNDLE: _bundle, ...withoutBundle } = process.env;
  const started = await Promise.allSettled([
    startProvider(binary, path.join(dir, "schema-provider.log"), process.env),
    ...Array.from({ length: LEASED }, (_, i) => startProvider(binary, path.join(dir, `leased-provider-${i}.log`), withoutBundle)),
  ]);
  const groups = started.flatMap((s) => (s.status === "fulfilled" ? [s.value.group] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) {
    groups.forEach(killGroup);
    throw failed.reason;
  }
  const providers = started.map((s) => (s as PromiseFulfilledResult<StartedProvider>).value.reattach);
  let proxied: string[];
  try {
    proxied = await Promise.all(providers.map((reattach, i) => throughProxy(reattach, path.join(dir, `provider-${i}.sock`))));
  } catch (error) {
    groups.forEach(killGroup);
    await closeProxies();
    throw error;
  }
  const [schema, ...leased] = proxied;
  const settings: ProviderSettings = { schema, wholeSchema: providers[0], leased, leases, groups };
  process.env[SETTINGS] = JSON.stringify(settings);
}

interface StartedProvider {
  readonly reattach: string;
  readonly group: number;
}

/** Starts one provider; resolves once it prints how to attach to it (into `logFile`). */
async function startProvider(binary: string, logFile: string, env: NodeJS.ProcessEnv): Promise<StartedProvider> {
  // The shell runs the provider, its output into the log, and ends it when the jest process is gone.
  const watchdog = `"$1" -debug > "$2" 2>&1 & provider=$!; trap 'kill $provider 2>/dev/null' EXIT TERM; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $provider 2>/dev/null; do sleep 1; done`;
  const child = spawn("sh", ["-c", watchdog, "sh", binary, logFile], {
    detached: true,
    stdio: "ignore",
    env: { ...env, GOGC: env.GOGC ?? "off", GOMEMLIMIT: env.GOMEMLIMIT ?? "1GiB" },
  });
  child.unref();
  let exited: number | null | undefined;
  child.on("exit", (code) => { exited = code; });
  for (const started = Date.now(); Date.now() - started < 60000; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const output = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
    if (match !== null) return { reattach: match[1], group: child.pid! };
    if (exited !== undefined) throw new Error(`the AWS provider exited (${exited}) before it could be attached to:\n${output}`);
  }
  if (child.pid !== undefined) killGroup(child.pid);
  throw new Error(`the AWS provider printed no reattach configuration within 60 s (${logFile})`);
}

/** The proxies of this process (globalSetup and globalTeardown run in the jest process, but may each load this file). */
const PROXIES = Symbol.for("mixpanel-s3-export.provider-schema-proxies");
const proxies = (): ProviderSchemaProxy[] => ((globalThis as Record<symbol, ProviderSchemaProxy[]>)[PROXIES] ??= []);

/** `reattach` (a `TF_REATTACH_PROVIDERS` value) with the provider's socket replaced by a proxy's, started at `socket`. */
async function throughProxy(reattach: string, socket: string): Promise<string> {
  const config = JSON.parse(reattach) as Record<string, { Addr: { Network: string; String: string } }>;
  const [address, provider] = Object.entries(config)[0];
  if (provider.Addr.Network !== "unix") throw new Error(`the AWS provider listens on ${provider.Addr.Network}, not a unix socket: ${reattach}`);
  proxies().push(await startProviderSchemaProxy(provider.Addr.String, socket));
  return JSON.stringify({ [address]: { ...provider, Addr: { Network: "unix", String: socket } } });
}

async function closeProxies(): Promise<void> {
  await Promise.all(proxies().splice(0).map((proxy) => proxy.close()));
}

/** Stops the providers and their proxies, if they were started. */
export async function stopProviderProcesses(): Promise<void> {
  settings()?.groups.forEach(killGroup);
  await closeProxies();
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

function settings(): ProviderSettings | undefined {
  const text = process.env[SETTINGS];
  return text ? (JSON.parse(text) as ProviderSettings) : undefined;
}

/** What a schema-only terraform command adds to its environment: the schema provider, where there is one. */
export function schemaProviderEnv(): Record<string, string> {
  const shared = settings();
  return shared ? { TF_REATTACH_PROVIDERS: shared.schema } : {};
}

/** {@link schemaProviderEnv}, but attached to the provider itself: the whole schema, not the trimmed one. */
export function wholeSchemaProviderEnv(): Record<string, string> {
  const shared = settings();
  return shared ? { TF_REATTACH_PROVIDERS: shared.wholeSchema } : {};
}

/**
 * Runs `work` with a leased provider of its own: `attach` is what its terraform commands add to their
 * environment. Where every leased provider is busy (or none was started), `attach` is empty and the work's
 * commands start their own provider processes. Only for work with a single provider configuration at a time
 * (see the file's comment).
 */
export async function withLeasedProvider<T>(work: (attach: Readonly<Record<string, string>>) => Promise<T>): Promise<T> {
  const shared = settings();
  const index = shared === undefined ? -1 : shared.leased.findIndex((_, i) => tryLease(shared, i));
  if (shared === undefined || index < 0) return work({});
  try {
    return await work({ TF_REATTACH_PROVIDERS: shared.leased[index] });
  } finally {
    fs.rmdirSync(path.join(shared.leases, `lease-${index}`));
  }
}

function tryLease(shared: ProviderSettings, index: number): boolean {
  try {
    fs.mkdirSync(path.join(shared.leases, `lease-${index}`));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** {@link withLeasedProvider} for work with a single provider configuration; other work gets no provider to attach to. */
export function withProviderFor<T>(configurations: number, work: (attach: Readonly<Record<string, string>>) => Promise<T>): Promise<T> {
  return configurations === 1 ? withLeasedProvider(work) : work({});
}
