/**
 * The `mixpanel-s3-export` command: `adopt ...` (src/cli/adopt.ts), else `review ...` (src/cli/review.ts;
 * the word review may be left out).
 */
import { runAdopt } from "./adopt";
import { Io, processIo, runCli as runReview } from "./review";

/** Runs the command for `argv` (after `node <script>`) and returns its exit code. */
export function runCli(argv: readonly string[], io: Io = processIo): number {
  return argv[0] === "adopt" ? runAdopt(argv.slice(1), io) : runReview(argv, io);
}
