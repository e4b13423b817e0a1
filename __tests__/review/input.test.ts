import * as fs from "fs";
import * as path from "path";
import { MAX_INPUT_BYTES } from "../../src/review/input";
import { runProcess } from "../support/child-process";
import { baseProps, synthStack } from "../support/synth";
import { cli, synthOut, tempDir, writeCdktfOut } from "./helpers";

/** Unusable input: exit 2, nothing on stdout, and one message on stderr that says what is wrong. */

const PREFIX = "mixpanel-s3-export review: ";

function folderWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function expectUnusable(result: ReturnType<typeof cli>, message: string): void {
  expect(result).toEqual({ code: 2, stdout: "", stderr: `${PREFIX}${message}\n` });
}

test("a missing folder", () => {
  const missing = path.join(tempDir(), "cdktf.out");
  expectUnusable(cli("review", missing), `${missing}: no such file or folder`);
});

test("a missing folder on either side of a diff is unusable input, not a widening", () => {
  const missing = path.join(tempDir(), "base");
  const result = cli("review", "--base", missing, "--head", synthOut(baseProps()));
  expectUnusable(result, `${missing}: no such file or folder`);
});

test("a folder that is not a cdktf output", () => {
  const dir = folderWith({ "README.md": "# not a synth\n" });
  expectUnusable(cli("review", dir), `${dir} is not a cdktf output: expected a cdktf output folder (with manifest.json or stacks/*/cdk.tf.json), a stack folder holding cdk.tf.json, a cdk.tf.json file, or a saved plan as JSON (terraform show -json plan.bin > plan.json)`);
});

test("a cdk.tf.json that is not valid JSON", () => {
  const dir = folderWith({ "stacks/mixpanel-s3-export/cdk.tf.json": "{\"resource\": {" });
  const file = path.join(dir, "stacks/mixpanel-s3-export/cdk.tf.json");
  const result = cli("review", dir);
  expect([result.code, result.stdout]).toEqual([2, ""]);
  expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${file} is not valid JSON: `)}.+\\n$`));
});

test("a manifest.json that is not valid JSON", () => {
  const dir = folderWith({ "manifest.json": "not json" });
  const result = cli("review", dir);
  expect([result.code, result.stdout]).toEqual([2, ""]);
  expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${path.join(dir, "manifest.json")} is not valid JSON: `)}.+\\n$`));
});

test("a manifest naming a stack whose file is missing", () => {
  const dir = writeCdktfOut(synthStack(baseProps()));
  fs.rmSync(path.join(dir, "stacks"), { recursive: true });
  expectUnusable(cli("review", dir), `${path.join(dir, "manifest.json")} names stack "mixpanel-s3-export" at stacks/mixpanel-s3-export/cdk.tf.json, which is missing`);
});

test("JSON that is no Terraform stack", () => {
  const dir = folderWith({ "cdk.tf.json": "{\"name\": \"some-package\"}" });
  const file = path.join(dir, "cdk.tf.json");
  expectUnusable(cli("review", file), `${file} is not a synthesized Terraform stack (no "terraform", "resource" or "output" key): expected a cdktf output folder (with manifest.json or stacks/*/cdk.tf.json), a stack folder holding cdk.tf.json, a cdk.tf.json file, or a saved plan as JSON (terraform show -json plan.bin > plan.json)`);
});

test.each([
  [["--base", "a"], "--base and --head go together"],
  [["--head"], "--head needs a path"],
  [["--bogus"], "unknown option --bogus"],
  [["a", "b"], "one path only (got a and b); to compare two synths use --base and --head"],
])("bad arguments %j", (args, message) => {
  const result = cli("review", ...args);
  expect([result.code, result.stdout]).toEqual([2, ""]);
  expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${message}\n\nUsage:`)}`));
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("plan JSON: only `terraform show -json` of a saved plan, format 1.x", () => {
  const MAKE = "terraform plan -out=plan.bin, then terraform show -json plan.bin > plan.json";

  test("garbage in a .json file", () => {
    const file = path.join(folderWith({ "plan.json": "Terraform will perform the following actions:\n" }), "plan.json");
    const result = cli("review", file);
    expect([result.code, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toMatch(new RegExp(`^${escape(`${PREFIX}${file} is not valid JSON: `)}.+\\n$`));
  });

  test("the binary plan file itself (a zip archive), not its JSON", () => {
    const file = path.join(folderWith({ "plan.bin": "PK\u0003\u0004\u0014\u0000\u0008\u0000" }), "plan.bin");
    expectUnusable(cli("review", file), `${file} is a binary plan file: review its JSON instead (terraform show -json plan.bin > plan.json)`);
  });

  test("a state file instead of a plan", () => {
    const state = { version: 4, terraform_version: "1.11.4", serial: 3, lineage: "9b1f0c2e-4c1d-4a57-9d1e-0d7b2b0c6f11", outputs: {}, resources: [], check_results: null };
    const file = path.join(folderWith({ "terraform.tfstate": JSON.stringify(state) }), "terraform.tfstate");
    expectUnusable(cli("review", file), `${file} is a Terraform state file, not a plan: expected a cdktf output folder (with manifest.json or stacks/*/cdk.tf.json), a stack folder holding cdk.tf.json, a cdk.tf.json file, or a saved plan as JSON (terraform show -json plan.bin > plan.json); to make one: ${MAKE}`);
  });

  test("`terraform show -json` of a state (no plan file)", () => {
    const shown = { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { resources: [] } } };
    const file = path.join(folderWith({ "state.json": JSON.stringify(shown) }), "state.json");
    expectUnusable(cli("review", file), `${file} is the JSON of a Terraform state (terraform show -json without a plan file), not a plan: to make one: ${MAKE}`);
  });

  test("a plan of an unknown format version", () => {
    const plan = { format_version: "2.0", terraform_version: "2.0.0", planned_values: { root_module: {} }, resource_changes: [] };
    const file = path.join(folderWith({ "plan.json": JSON.stringify(plan) }), "plan.json");
    expectUnusable(cli("review", file), `${file} is a plan of format version 2.0, which this review does not know: it reads terraform show -json format 1.x (Terraform 1.x)`);
  });

  test("a plan that failed", () => {
    const plan = { format_version: "1.2", terraform_version: "1.11.4", planned_values: { root_module: {} }, resource_changes: [], errored: true };
    const file = path.join(folderWith({ "plan.json": JSON.stringify(plan) }), "plan.json");
    expectUnusable(cli("review", file), `${file} is a plan that failed (errored: true): fix the errors terraform plan printed, then plan again`);
  });

  test("a plan on either side of --base/--head: a plan holds its own before and after", () => {
    const plan = { format_version: "1.2", terraform_version: "1.11.4", planned_values: { root_module: {} }, resource_changes: [] };
    const file = path.join(folderWith({ "plan.json": JSON.stringify(plan) }), "plan.json");
    expectUnusable(cli("review", "--base", synthOut(baseProps()), "--head", file),
      `--head ${file} is a plan: a plan holds its own before and after, so review it alone (review ${file})`);
  });
});

describe("what users plausibly give instead: one line naming what was given, what is expected and the command that makes it", () => {
  const EXPECTED = "expected a cdktf output folder (cdktf synth makes cdktf.out) or a saved plan as JSON (terraform plan -out=plan.bin, then terraform show -json plan.bin > plan.json)";
  const MAKE = "terraform plan -out=plan.bin, then terraform show -json plan.bin > plan.json";
  const UI_STREAM = [
    { "@level": "info", "@message": "Terraform 1.11.4", "@module": "terraform.ui", "@timestamp": "2026-12-08T01:00:00.000000Z", terraform: "1.11.4", type: "version", ui: "1.2" },
    { "@level": "info", "@message": "Plan: 1 to add, 0 to change, 0 to destroy.", "@module": "terraform.ui", "@timestamp": "2026-12-08T01:00:01.000000Z", changes: { add: 1, change: 0, remove: 0, operation: "plan" }, type: "change_summary" },
  ].map((line) => JSON.stringify(line)).join("\n") + "\n";
  const file = (name: string, bytes: string | Buffer) => {
    const at = path.join(tempDir(), name);
    fs.writeFileSync(at, bytes);
    return at;
  };
  const huge = () => {
    const at = file("plan.json", "");
    fs.truncateSync(at, MAX_INPUT_BYTES + 1);
    return at;
  };

  test.each<[string, () => string[], (args: string[]) => string]>([
    ["a mistyped command", () => ["adpot", "--module", "module.m"], () => "adpot: no such file or folder, nor a command of mixpanel-s3-export (review, adopt; see --help)"],
    ["an empty file", () => [file("plan.json", "")], ([at]) => `${at} is empty: ${EXPECTED}`],
    ["a file of blanks", () => [file("plan.json", " \n\n")], ([at]) => `${at} is empty: ${EXPECTED}`],
    ["the message stream of terraform plan -json", () => [file("plan.json", UI_STREAM)],
      ([at]) => `${at} is the message stream of terraform plan -json (one JSON message a line), not a saved plan: to make one: ${MAKE}`],
    ["a file over the size limit (not read: bounded memory)", () => [huge()],
      ([at]) => `${at} is 65 MB, over the review's limit of 64 MB (it holds the whole JSON in memory): review a plan of the module alone (terraform plan -target=module.<name> -out=plan.bin, then terraform show -json plan.bin > plan.json)`],
  ])("%s", (_, args, message) => {
    const given = args();
    expectUnusable(cli("review", ...given), message(given));
  });

  test("no argument, where there is no cdktf.out: the bin says so and how to make one or a plan", async () => {
    const result = await runProcess(process.execPath, [path.join(__dirname, "..", "..", "bin", "mixpanel-s3-export.js"), "review"], { cwd: tempDir(), timeout: 30000 });
    expect(result).toEqual(expect.objectContaining({ code: 2, stdout: "",
      stderr: `${PREFIX}no path given, and there is no cdktf.out here to review: ${EXPECTED}, e.g. mixpanel-s3-export review plan.json\n` }));
  });

  test("a plan saved with a UTF-8 byte order mark or as UTF-16 (PowerShell's >) reads as the same plan", () => {
    const plan = JSON.stringify({ format_version: "1.2", terraform_version: "1.11.4", planned_values: { root_module: {} }, resource_changes: [] });
    const utf8 = cli("review", file("plan.json", plan));
    expect(utf8.code).toBe(0);
    const bigEndian = Buffer.from(`\ufeff${plan}`, "utf16le").swap16();
    for (const bytes of [Buffer.from(`\ufeff${plan}`, "utf8"), Buffer.from(`\ufeff${plan}`, "utf16le"), bigEndian]) {
      expect(cli("review", file("plan.json", bytes))).toEqual(utf8);
    }
  });
});
