/**
 * AWS provider processes that every terraform command of a run attaches to (`TF_REATTACH_PROVIDERS`, each
 * provider started with `-debug`), through one proxy in the jest process (provider-proxy.ts), instead of each
 * command starting the 700 MB provider binary once per provider configuration and walk (a `plan` of a root
 * with two aliases starts it five times) and decoding its whole 13 MB schema.
 *
 * - The shared provider: serves the schema (trimmed by the proxy to the types the tests use) and every call
 *   of a connection that does not configure the provider (`validate`, `show -json`, mocked `terraform test`
 *   runs), side by side. It is never configured.
 * - The configurable providers: each holds the configuration (region, settings) of one terraform connection
 *   at a time, from its `Configure` until the connection closes. Terraform opens a connection per provider
 *   configuration and walk, so a root with aliases, or several commands at once, get a process each. Where
 *   all are busy, the proxy starts another.
 *
 * Configurable providers run without AWS_CA_BUNDLE: the provider wraps its HTTP client with that bundle when it
 * is configured, and a process configured a second time then fails ("unable to add custom RootCAs
 * HTTPClient"). Every plan here is offline and never opens a connection.
 *
 * The jest globalSetup starts them (where the terraform tier can run) and the globalTeardown stops them; a
 * watchdog ends each with the jest process should the teardown never run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ProviderProxy, startProviderProxy } from "./provider-proxy";

/** How many configurable providers start with the run: about as many as the tier's commands configure at once. */
const CONFIGURABLE = 4;

/** What the workers read: how to attach. */
const SETTINGS = "MIXPANEL_TF_PROVIDERS";

interface ProviderSettings {
  /** `TF_REATTACH_PROVIDERS` of the proxy. */
  readonly proxy: string;
  /** `TF_REATTACH_PROVIDERS` of the shared provider itself, not through the proxy: its whole schema. */
  readonly wholeSchema: string;
}

/** What this process started: the proxy and the watchdog shells' process groups (globalSetup and globalTeardown run in the jest process, but may each load this file). */
interface Started {
  proxy?: ProviderProxy;
  groups: number[];
}
const STARTED = Symbol.for("mixpanel-s3-export.provider-processes");
const started = (): Started => ((globalThis as Record<symbol, Started>)[STARTED] ??= { groups: [] });

/** Starts the shared provider, the configurable ones and the proxy from `binary`, their logs and sockets under `dir`. */
export async function startProviderProcesses(binary: string, dir: string): Promise<void> {
  const { AWS_CA_BUNDLE: _bundle, ...withoutBundle } = process.env;
  let count = 0;
  const configurable = () => startProvider(binary, path.join(dir, `configurable-provider-${count++}.log`), withoutBundle);
  try {
    const [shared, ...ready] = await Promise.all([startProvider(binary, path.join(dir, "shared-provider.log"), process.env),
      ...Array.from({ length: CONFIGURABLE }, configurable)]);
    const proxy = await startProviderProxy(path.join(dir, "provider.sock"), {
      shared: socketOf(shared),
      configurable: ready.map(socketOf),
      startConfigurable: async () => socketOf(await configurable()),
    });
    started().proxy = proxy;
    const settings: ProviderSettings = { proxy: withSocket(shared, proxy.socket), wholeSchema: shared };
    process.env[SETTINGS] = JSON.stringify(settings);
  } catch (error) {
    await stopProviderProcesses();
    throw error;
  }
}

type Reattach = Record<string, { Addr: { Network: string; String: string } }>;

/** The unix socket a provider listens on, from its `TF_REATTACH_PROVIDERS`. */
function socketOf(reattach: string): string {
  const [provider] = Object.values(JSON.parse(reattach) as Reattach);
  if (provider.Addr.Network !== "unix") throw new Error(`the AWS provider listens on ${provider.Addr.Network}, not a unix socket: ${reattach}`);
  return provider.Addr.String;
}

/** `reattach` with the provider's socket replaced by `socket`. */
function withSocket(reattach: string, socket: string): string {
  const [[address, provider]] = Object.entries(JSON.parse(reattach) as Reattach);
  return JSON.stringify({ [address]: { ...provider, Addr: { Network: "unix", String: socket } } });
}

/**
 * In debug mode the provider logs every call at trace level (22 MB a run, a tenth of its CPU); terraform's
 * diagnostics say what failed. Each can be turned on again from the environment.
 */
const QUIET = Object.fromEntries(["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_MUX", "TF_LOG_SDK_HELPER_SCHEMA", "TF_LOG_SDK_FRAMEWORK"]
  .map((name) => [name, process.env[name] ?? "off"]));

/** Starts one provider; resolves with its `TF_REATTACH_PROVIDERS` once it prints it (into `logFile`). */
async function startProvider(binary: string, logFile: string, env: NodeJS.ProcessEnv): Promise<string> {
  // The shell runs the provider, its output into the log, and ends it when the jest process is gone.
  const watchdog = `"$1" -debug > "$2" 2>&1 & provider=$!; trap 'kill $provider 2>/dev/null' EXIT TERM; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $provider 2>/dev/null; do sleep 1; done`;
  const child = spawn("sh", ["-c", watchdog, "sh", binary, logFile], {
    detached: true,
    stdio: "ignore",
    env: { ...env, GOGC: env.GOGC ?? "off", GOMEMLIMIT: env.GOMEMLIMIT ?? "1GiB", ...QUIET },
  });
  child.unref();
  started().groups.push(child.pid!);
  let exited: number | null | undefined;
  child.on("exit", (code) => { exited = code; });
  for (const since = Date.now(); Date.now() - since < 60000; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const output = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
    if (match !== null) return match[1];
    if (exited !== undefined) throw new Error(`the AWS provider exited (${exited}) before it could be attached to:\n${output}`);
  }
  throw new Error(`the AWS provider printed no reattach configuration within 60 s (${logFile})`);
}

/** Stops the proxy and the providers, if they were started. */
export async function stopProviderProcesses(): Promise<void> {
  const { proxy, groups } = started();
  for (const pid of groups.splice(0)) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  started().proxy = undefined;
  await proxy?.close();
}

function settings(): ProviderSettings | undefined {
  const text = process.env[SETTINGS];
  return text ? (JSON.parse(text) as ProviderSettings) : undefined;
}

/** What a terraform command adds to its environment to attach to the run's providers, where they were started. */
export function providerEnv(): Record<string, string> {
  const shared = settings();
  return shared ? { TF_REATTACH_PROVIDERS: shared.proxy } : {};
}

/** {@link providerEnv}, but attached to the shared provider itself: the whole schema, not the trimmed one. */
export function wholeSchemaProviderEnv(): Record<string, string> {
  const shared = settings();
  return shared ? { TF_REATTACH_PROVIDERS: shared.wholeSchema } : {};
}
