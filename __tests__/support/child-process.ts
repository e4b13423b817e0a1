import { ExecFileOptions, execFile } from "child_process";

export interface ProcessResult {
  /** The exit code; null when the process died of a signal, timed out or could not start. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end without blocking the test file, so several can run side by side. */
export function runProcess(file: string, args: readonly string[], options: ExecFileOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }));
  });
}

/**
 * `base` (this process's environment by default) without settings of its own (MIXPANEL_*, AWS_REGION, CDKTF_*),
 * plus `settings`: so only a test's settings reach the app it runs.
 */
export function settingsEnv(settings: Record<string, string>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (name.startsWith("MIXPANEL_") || name === "AWS_REGION" || name.startsWith("CDKTF_")) continue;
    env[name] = value;
  }
  return { ...env, ...settings };
}
