/**
 * One AWS provider process for every terraform command of a run that needs only the provider's schema:
 * `validate`, `show -json`, and `terraform test` runs whose providers are all mocks. Each such command
 * would otherwise start the 700 MB provider binary (about a second of CPU) once per run block or command;
 * terraform instead attaches to this one (`TF_REATTACH_PROVIDERS`, the provider started with `-debug`).
 *
 * Commands that configure the real provider (`plan`, real-provider `terraform test` runs) never attach: a
 * provider process holds one configuration, and concurrent plans, or one plan with several provider blocks,
 * would overwrite each other's.
 *
 * The jest globalSetup starts it (where the terraform tier can run) and the globalTeardown stops it; a
 * watchdog ends it with the jest process should the teardown never run.
 */
import { spawn } from "child_process";

const REATTACH = "MIXPANEL_TF_SCHEMA_PROVIDER";
const PID = "MIXPANEL_TF_SCHEMA_PROVIDER_PID";

/** Starts the shared provider from `binary`; resolves once it prints how to attach to it. */
export function startSchemaProvider(binary: string): Promise<void> {
  // The shell runs the provider and ends it when the jest process (its parent's pid) is gone.
  const watchdog = `"$1" -debug & provider=$!; trap 'kill $provider 2>/dev/null' EXIT TERM; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $provider 2>/dev/null; do sleep 1; done`;
  const child = spawn("sh", ["-c", watchdog, "sh", binary], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GOGC: process.env.GOGC ?? "off", GOMEMLIMIT: process.env.GOMEMLIMIT ?? "1GiB" },
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`the AWS provider printed no reattach configuration within 60 s:\n${output}`)), 60000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (child.pid !== undefined) killGroup(child.pid);
      reject(error);
    };
    child.on("error", fail);
    child.on("exit", (code) => fail(new Error(`the AWS provider exited with ${code} before it could be attached to:\n${output}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      child.stderr.resume();
      child.unref();
      process.env[REATTACH] = match[1];
      process.env[PID] = String(child.pid);
      resolve();
    });
  });
}

/** Stops the shared provider, if one was started. */
export function stopSchemaProvider(): void {
  const pid = Number(process.env[PID]);
  if (Number.isInteger(pid) && pid > 0) killGroup(pid);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

/** What a schema-only terraform command adds to its environment: the shared provider, where there is one. */
export function schemaProviderEnv(): Record<string, string> {
  const reattach = process.env[REATTACH];
  return reattach ? { TF_REATTACH_PROVIDERS: reattach } : {};
}
