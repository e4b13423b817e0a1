import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { writeWhole } from "../scripts/write-whole";

/**
 * scripts/write-whole.js, which the run's synth cache, the swc cache and terraform's CLI config are written
 * with: writers side by side in threads of one process (as jest's workers are) all succeed, and a reader only
 * ever sees one writer's whole text.
 */

const WRITES = 150;

/** Starts a thread that writes `file` WRITES times, each time a whole text of its own; resolves when it is done. */
function writer(file: string, name: string): Promise<void> {
  const code = `
    const { workerData } = require("worker_threads");
    const { writeWhole } = require(workerData.module);
    for (let i = 0; i < workerData.writes; i++) writeWhole(workerData.file, workerData.name.repeat(20000) + i + "\\n");
  `;
  const thread = new Worker(code, { eval: true, workerData: { module: require.resolve("../scripts/write-whole"), file, name, writes: WRITES } });
  return new Promise((resolve, reject) => {
    thread.on("error", reject);
    thread.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${name} exited ${code}`))));
  });
}

test("threads writing the same file side by side all succeed; a reader sees one writer's whole text each time; no temporary file stays", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-write-whole-"));
  try {
    const file = path.join(dir, "kept.json");
    writeWhole(file, "first\n");
    // Settled, not all: the test waits for both threads, whatever happens to either.
    const writers = Promise.allSettled([writer(file, "a"), writer(file, "b")]);
    let done = false;
    void writers.then(() => (done = true));
    const seen = new Set<string>();
    while (!done) {
      const text = fs.readFileSync(file, "utf8");
      seen.add(text === "first\n" ? "first" : /^(a{20000}|b{20000})\d+\n$/.test(text) ? text[0] : `torn: ${text.length} characters`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const failures = (await writers).flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
    expect(failures).toEqual([]);
    expect([...seen].filter((what) => what.startsWith("torn"))).toEqual([]);
    expect(fs.readFileSync(file, "utf8")).toMatch(new RegExp(`^(a{20000}|b{20000})${WRITES - 1}\\n$`));
    expect(fs.readdirSync(dir)).toEqual(["kept.json"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
