import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { Change } from "../../src/review/diff";
import { reviewDiff, runCli } from "../../src/cli/review";
import { synthStack } from "../support/synth";

/** The stack name `cdktf synth` gives the deployable stack (main.ts). */
export const STACK = "mixpanel-s3-export";

const roots: string[] = [];

/** A fresh temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-review-"));
  roots.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of roots.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Writes a synthesized stack where `cdktf synth` would: `<dir>/manifest.json` and
 * `<dir>/stacks/<stack>/cdk.tf.json`. Returns the output folder.
 */
export function writeCdktfOut(synthesized: string, stack = STACK): string {
  return writeStacks({ [stack]: synthesized });
}

/** Several synthesized stacks in one cdktf output folder, as an app with several stacks leaves them. */
export function writeStacks(stacks: Record<string, string>): string {
  const dir = tempDir();
  const manifest: Record<string, unknown> = {};
  for (const [stack, synthesized] of Object.entries(stacks)) {
    const relative = `stacks/${stack}/cdk.tf.json`;
    fs.mkdirSync(path.join(dir, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), synthesized);
    manifest[stack] = { name: stack, constructPath: stack, synthesizedStackPath: relative, workingDirectory: `stacks/${stack}`, dependencies: [], annotations: [] };
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }, null, 2));
  return dir;
}

/** Synthesizes the stack with the construct itself and writes it as a cdktf output folder. */
export function synthOut(props: MixpanelS3ExportProps): string {
  return writeCdktfOut(synthStack(props));
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command's entry function in-process. */
export function cli(...argv: string[]): CliResult {
  let stdout = "";
  let stderr = "";
  const code = runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

/** Synthesizes base and head, runs `review --base --head`, and returns the result with the classified changes. */
export function diff(base: MixpanelS3ExportProps, head: MixpanelS3ExportProps): CliResult & { changes: Change[] } {
  const [baseDir, headDir] = [synthOut(base), synthOut(head)];
  return { ...cli("review", "--base", baseDir, "--head", headDir), changes: reviewDiff(baseDir, headDir).changes };
}

/** The classes of the changes, in printed order. */
export function kinds(changes: readonly Change[]): string[] {
  return changes.map((change) => change.kind);
}
