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
import * as fs from "fs";

const REATTACH = "MIXPANEL_TF_SCHEMA_PROVIDER";
const PID = "MIXPANEL_TF_SCHEMA_PROVIDER_PID";

/** Starts the shared provider from `binary`; resolves once it prints how to attach to it (into `logFile`). */
export async function startSchemaProvider(binary: string, logFile: string): Promise<void> {
  // The shell runs the provider, its output into the log, and ends it when the jest process is gone.
  const watchdog = `"$1" -debug > "$2" 2>&1 & provider=$!; trap 'kill $provider 2>/dev/null' EXIT TERM; ` +
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $provider 2>/dev/null; do sleep 1; done`;
  const child = spawn("sh", ["-c", watchdog, "sh", binary, logFile], {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, GOGC: process.env.GOGC ?? "off", GOMEMLIMIT: process.env.GOMEMLIMIT ?? "1GiB" },
  });
  child.unref();
  let exited: number | null | undefined;
  child.on("exit", (code) => { exited = code; });
  for (const started = Date.now(); Date.now() - started < 60000; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const output = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
    if (match !== null) {
      process.env[REATTACH] = match[1];
      process.env[PID] = String(child.pid);
      return;
    }
    if (exited !== undefined) throw new Error(`the AWS provider exited (${exited}) before it could be attached to:\n${output}`);
  }
  if (child.pid !== undefined) killGroup(child.pid);
  throw new Error(`the AWS provider printed no reattach configuration within 60 s (${logFile})`);
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
