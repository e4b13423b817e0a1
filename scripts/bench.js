#!/usr/bin/env node
// Measures this project's speed against its targets and prints a table. Numbers, not a timed test:
// a number over its target says OVER, and the script still exits 0.
//
//   npm run bench                 every part but tf
//   npm run bench -- app synth    only some parts: app, synth, unit, test, tf, review, plan
//
// app    the stack app alone, as cdktf.json's "app" runs it (median of 5): wall <= 1 s, peak RSS <= 150 MB
// synth  `npm run synth`, the README's synth: npm, then the app on cdktf.json's context (median of 3): wall <= 1 s
// unit   `npm run test:unit` (the unit and iam tiers: everything that needs neither terraform, an install nor
//        the cdktf CLI), median of 3: wall <= 10 s, and its CPU (on 2 cores the wall time cannot fall below half
//        of it)
// test   `npm test` once (tsc beside the whole jest run): wall <= 120 s (the goal: 60 s), and each tier's wall
//        time as its summary prints it (from its first file's start to its last file's end) beside the tier's
//        target: terraform <= 90 s, library consumers <= 60 s, cdktf cli <= 10 s (real `cdktf synth` runs on
//        Node 22 and 24 side by side, about 6 CPU-seconds each), node versions <= 10 s (the README's commands on
//        Node 22 and 24), unit <= 8 s, iam <= 5 s. They add up within 120 s on this machine's 2 cores: jest's
//        two workers run the tiers side by side, so their 183 s of targets take about 92 s of the run, leaving the rest for the two workers not being filled to the last second and for tsc
//        (about 12 CPU-seconds, at a lower priority beside jest). Also the run's CPU (user+sys of its process
//        tree), which other load on the machine changes less than it does wall time.
// tf     `npx jest __tests__/terraform` (the terraform tier alone, not in the default set: `test` times it
//        within the whole run): wall <= 90 s
// review `mixpanel-s3-export review` (bin/) on the default stack's synth (median of 5): wall <= 0.5 s, peak RSS
// plan   `mixpanel-s3-export review plan.json` on the plan of a 100-project stack (median of 5): wall <= 0.5 s,
//        peak RSS <= 150 MB. The plan is made once per bench run: the app synthesizes the stack with 100 tokens
//        (a role per project, prefix scoping, a created KMS key), then real terraform plans it offline as the
//        terraform tier does (needs terraform and the provider mirror; without them the row says why).
"use strict";

const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const TIME = "/usr/bin/time";
const HAS_TIME = fs.existsSync(TIME);
const PARTS = ["app", "synth", "unit", "test", "tf", "review", "plan"];
/** What `npm run bench` runs with no part named. */
const DEFAULT_PARTS = PARTS.filter((part) => part !== "tf");
const ALIASES = { terraform: "tf", tests: "test" };
/** Each tier's target within `npm test` (s): see the header. */
const TIER_TARGETS = { terraform: 90, "library consumers": 60, "cdktf cli": 10, "node versions": 10, unit: 8, iam: 5 };

function usage() {
  return `usage: npm run bench [-- <part>...]   parts: ${PARTS.join(", ")} (default: ${DEFAULT_PARTS.join(", ")})`;
}

function selectedParts(args) {
  if (args.length === 0) return DEFAULT_PARTS;
  if (args.some((arg) => arg === "-h" || arg === "--help")) {
    console.log(usage());
    process.exit(0);
  }
  const parts = args.map((arg) => ALIASES[arg] ?? arg);
  const unknown = parts.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) {
    console.error(`bench: unknown part(s): ${unknown.join(", ")}\n${usage()}`);
    process.exit(2);
  }
  return PARTS.filter((part) => parts.includes(part));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function tempDir(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mixpanel-bench-${label}-`));
}

/**
 * Runs a command once; returns { wall (s), rssMb (undefined without /usr/bin/time), status, stdout, stderr }.
 * Wall time is taken around the child here (the wrapper's own cost is a millisecond); peak RSS is
 * /usr/bin/time's %M: the largest resident set of the command or any process it waited for.
 */
function measure(command, args, env) {
  const timeFile = HAS_TIME ? path.join(os.tmpdir(), `mixpanel-bench-time-${process.pid}.txt`) : undefined;
  const [file, fileArgs] = HAS_TIME ? [TIME, ["-o", timeFile, "-f", "%e %M %U %S", command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(file, fileArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  let rssMb;
  let cpu;
  if (timeFile) {
    // The last line: /usr/bin/time writes "Command exited with non-zero status N" above it on failure.
    const line = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop() ?? "";
    const [, kb, user, system] = line.split(/\s+/).map(Number);
    if (Number.isFinite(kb)) rssMb = kb / 1024;
    if (Number.isFinite(user) && Number.isFinite(system)) cpu = user + system;
    fs.rmSync(timeFile, { force: true });
  }
  if (result.error) throw result.error;
  return { wall, rssMb, cpu, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function progress(text) {
  process.stderr.write(`bench: ${text}\n`);
}

/** Runs `command` `runs` times; fails fast on the first non-zero exit. */
function repeat(label, runs, run) {
  const results = [];
  for (let i = 1; i <= runs; i++) {
    progress(`${label} ${i}/${runs}`);
    const result = run();
    results.push(result);
    if (result.status !== 0) break;
  }
  return results;
}

const LOAD_AT_START = os.loadavg().map((n) => n.toFixed(2)).join(" ");
const rows = [];
const failures = [];

function failed(label, result) {
  failures.push({ label, result });
  return `command failed (exit ${result.status})`;
}

/** One line of the table: OK or OVER against its target; FAILED when the measured command failed. */
function row(measurement, value, unit, target, note = "", commandFailed = false) {
  const verdict = commandFailed ? "FAILED" : value === undefined ? "n/a" : target === undefined ? "-" : value <= target ? "OK" : "OVER";
  rows.push({
    measurement,
    value: value === undefined ? "n/a" : `${value.toFixed(unit === "MB" ? 0 : 2)} ${unit}`,
    target: target === undefined ? "(none)" : `<= ${target} ${unit}`,
    verdict,
    note,
  });
}

function cdktfJson() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8"));
}

function benchApp() {
  const config = cdktfJson();
  // cdktf.json's "app", split into argv: `node --require ./scripts/swc-register.js main.ts`.
  const [command, ...args] = config.app.split(/\s+/);
  const context = JSON.stringify(config.context ?? {});
  const results = repeat("app", 5, () => {
    const outdir = tempDir("app");
    try {
      const result = measure(command, args, { CDKTF_CONTEXT_JSON: context, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" });
      if (result.status === 0 && !fs.existsSync(path.join(outdir, "manifest.json"))) {
        result.status = -1;
        result.stderr += `\nbench: the app exited 0 but wrote no ${path.join(outdir, "manifest.json")}`;
      }
      return result;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
  const last = results[results.length - 1];
  const note = last.status !== 0 ? failed("app", last) : `runs: ${results.map((r) => r.wall.toFixed(2)).join(", ")} s`;
  const ok = last.status === 0;
  row(`app (${config.app}): wall, median of 5`, ok ? median(results.map((r) => r.wall)) : undefined, "s", 1, note, !ok);
  row("app: peak RSS, median of 5", ok && HAS_TIME ? median(results.map((r) => r.rssMb)) : undefined, "MB", 150,
    HAS_TIME ? (ok ? `runs: ${results.map((r) => r.rssMb.toFixed(0)).join(", ")} MB` : "") : `${TIME} not found: peak RSS not measured`, !ok);
}

/** The review command on the default stack, synthesized once by the app into a temporary output folder. */
function benchReview() {
  const config = cdktfJson();
  const [command, ...args] = config.app.split(/\s+/);
  const outdir = tempDir("review");
  try {
    progress("review: synthesizing the default stack");
    const synth = measure(command, args, { CDKTF_CONTEXT_JSON: JSON.stringify(config.context ?? {}), CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" });
    const bin = path.join(ROOT, "bin", "mixpanel-s3-export.js");
    const results = synth.status !== 0 ? [synth] : repeat("review", 5, () => measure(process.execPath, [bin, "review", outdir], {}));
    const last = results[results.length - 1];
    const ok = last.status === 0;
    row("review (node bin/mixpanel-s3-export.js review <default synth>): wall, median of 5", ok ? median(results.map((r) => r.wall)) : undefined, "s", 0.5,
      ok ? `runs: ${results.map((r) => r.wall.toFixed(2)).join(", ")} s` : failed(synth.status !== 0 ? "review (synth of the default stack)" : "review", last), !ok);
    row("review: peak RSS, median of 5", ok && HAS_TIME ? median(results.map((r) => r.rssMb)) : undefined, "MB", undefined,
      HAS_TIME ? (ok ? `runs: ${results.map((r) => r.rssMb.toFixed(0)).join(", ")} MB` : "") : `${TIME} not found: peak RSS not measured`, !ok);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The settings of a 100-project stack, as environment variables of the app. */
function hundredProjects() {
  const ids = Array.from({ length: 100 }, (_, i) => String(1001 + i));
  return {
    MIXPANEL_PROJECT_TOKEN: ids.map((id) => id.padStart(32, "0")).join(","),
    MIXPANEL_PROJECT_ID: ids.join(","),
    MIXPANEL_ROLE_PER_PROJECT: "true",
    MIXPANEL_SCOPE_TO_PROJECT_PREFIX: "true",
    MIXPANEL_ENCRYPTION: "KMS",
    MIXPANEL_CREATE_KMS_KEY: "true",
  };
}

/** `terraform plan` + `show -json` of a synthesized stack, offline, with the terraform tier's own helpers. */
function planOffline(synthesizedJson) {
  require(path.join(ROOT, "scripts", "swc-register.js"));
  const { terraformTier } = require(path.join(ROOT, "__tests__", "support", "terraform.ts"));
  const tier = terraformTier();
  if (!tier.available) return Promise.reject(new Error(`terraform tier unavailable: ${tier.reason}`));
  const { planJson, stackRoot } = require(path.join(ROOT, "__tests__", "support", "deployed-state.ts"));
  return planJson(stackRoot(synthesizedJson));
}

/** The review of a 100-project stack's plan: the plan made once, then reviewed 5 times. */
async function benchPlanReview() {
  const config = cdktfJson();
  const [command, ...args] = config.app.split(/\s+/);
  const outdir = tempDir("plan");
  try {
    progress("plan: synthesizing a 100-project stack");
    const synth = measure(command, args, { ...hundredProjects(), CDKTF_CONTEXT_JSON: JSON.stringify(config.context ?? {}), CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" });
    if (synth.status !== 0) {
      row("plan review: synth of the 100-project stack", undefined, "s", 0.5, failed("plan (synth of the 100-project stack)", synth), true);
      return;
    }
    const stackJson = fs.readFileSync(path.join(outdir, "stacks", "mixpanel-s3-export", "cdk.tf.json"), "utf8");
    progress("plan: terraform plan of the 100-project stack (once)");
    const started = process.hrtime.bigint();
    const planFile = path.join(outdir, "plan.json");
    fs.writeFileSync(planFile, await planOffline(stackJson));
    const planSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const resources = JSON.parse(fs.readFileSync(planFile, "utf8")).resource_changes.length;
    const bin = path.join(ROOT, "bin", "mixpanel-s3-export.js");
    // Exit 1 is the expected answer here (the plan creates trust for Mixpanel); 2 would be a failure.
    const results = repeat("plan review", 5, () => {
      const result = measure(process.execPath, [bin, "review", planFile], {});
      return { ...result, status: result.status === 1 ? 0 : result.status };
    });
    const last = results[results.length - 1];
    const ok = last.status === 0;
    const what = `${resources} resources, ${(fs.statSync(planFile).size / 1e6).toFixed(1)} MB of plan JSON, planned once in ${planSeconds.toFixed(0)} s`;
    row("plan review (review <plan.json> of a 100-project stack): wall, median of 5", ok ? median(results.map((r) => r.wall)) : undefined, "s", 0.5,
      ok ? `runs: ${results.map((r) => r.wall.toFixed(2)).join(", ")} s; ${what}` : failed("plan review", last), !ok);
    row("plan review: peak RSS, median of 5", ok && HAS_TIME ? median(results.map((r) => r.rssMb)) : undefined, "MB", 150,
      HAS_TIME ? (ok ? `runs: ${results.map((r) => r.rssMb.toFixed(0)).join(", ")} MB` : "") : `${TIME} not found: peak RSS not measured`, !ok);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function benchSynth() {
  const results = repeat("npm run synth", 3, () => {
    const outdir = tempDir("synth");
    try {
      return measure("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: outdir });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
  const last = results[results.length - 1];
  const ok = last.status === 0;
  const rss = ok && HAS_TIME ? `, peak RSS ${median(results.map((r) => r.rssMb)).toFixed(0)} MB (median)` : "";
  row("npm run synth: wall, median of 3", ok ? median(results.map((r) => r.wall)) : undefined, "s", 1,
    ok ? `runs: ${results.map((r) => r.wall.toFixed(2)).join(", ")} s${rss}` : failed("npm run synth", last), !ok);
}

/** The summary reporter's last line, `N passed, M failed, K skipped`. */
function jestSummary(result) {
  const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => /^\d+ passed, \d+ failed, \d+ skipped$/.test(line.trim()));
  return lines.length > 0 ? lines[lines.length - 1].trim() : "";
}

function benchJest(label, command, args, target, notePrefix = "") {
  progress(label);
  const result = measure(command, args, {});
  const summary = jestSummary(result);
  const note = notePrefix + (result.status === 0 ? summary : `${failed(label, result)}${summary ? `: ${summary}` : ""}`);
  row(`${label}: wall`, result.wall, "s", target, note, result.status !== 0);
  return result;
}

/**
 * A jest run's CPU (user+sys of its process tree). It moves less with what else the machine runs than wall
 * time does (on this shared machine, still by up to a fifth): on N cores the wall time cannot fall below CPU / N.
 */
function cpuRow(label, result) {
  row(`${label}: CPU, user+sys`, result.cpu, "s", undefined,
    `the process tree's; ${os.cpus().length} cores, so at best ${result.cpu === undefined ? "?" : (result.cpu / os.cpus().length).toFixed(1)} s wall`);
}

/**
 * The summary reporter's line per tier, `  <tier>: <wall> s, from <a> to <b> s (<files> files, <tests> tests...; <s> s in
 * its files)`, by tier name.
 */
function tierLines(result) {
  const names = require(path.join(ROOT, "__tests__", "support", "tiers.js")).TIERS.map((tier) => tier.name);
  const found = {};
  for (const line of `${result.stdout}\n${result.stderr}`.split("\n")) {
    const match = /^ {2}(.+?): ([\d.]+) s, from ([\d.]+) to ([\d.]+) s \((.*)\)$/.exec(line);
    if (match && names.includes(match[1])) found[match[1]] = { wall: Number(match[2]), from: match[3], to: match[4], detail: match[5] };
  }
  return found;
}

/**
 * `npm run test:unit` three times (stopping at a failed run): the median wall time beside the target, every
 * run's, and the median CPU. One run's wall time moves by a second or more with what else the machine does;
 * the median of three says more.
 */
function benchUnit() {
  const label = "unit and iam tiers (npm run test:unit)";
  const results = repeat(label, 3, () => measure("npm", ["run", "test:unit"], {}));
  const last = results[results.length - 1];
  const ok = last.status === 0;
  const summary = jestSummary(last);
  row(`${label}: wall, median of 3`, ok ? median(results.map((r) => r.wall)) : undefined, "s", 10,
    ok ? `runs: ${results.map((r) => r.wall.toFixed(2)).join(", ")} s; ${summary}` : `${failed(label, last)}${summary ? `: ${summary}` : ""}`, !ok);
  const cpus = results.map((r) => r.cpu);
  cpuRow(`${label}, median of 3`, { cpu: ok && !cpus.includes(undefined) ? median(cpus) : undefined });
}

/** `npm test` once: its wall time, then each tier's wall time from its summary, beside the tier's target. */
function benchWholeTest() {
  const result = benchJest("npm test (tsc beside every jest tier)", "npm", ["test"], 120, "goal 60 s; ");
  // It leaves out the provider processes every terraform command attaches to (detached).
  cpuRow("npm test (tsc beside every jest tier)", result);
  const tiers = tierLines(result);
  for (const [tier, target] of Object.entries(TIER_TARGETS)) {
    const times = tiers[tier];
    row(`  ${tier} tier within npm test: wall`, times?.wall, "s", target,
      times ? `${times.from}-${times.to} s into the run; ${times.detail}` : "the summary printed no time for this tier");
  }
}

function printTable() {
  const headers = { measurement: "measurement", value: "value", target: "target", verdict: "result", note: "notes" };
  const columns = Object.keys(headers);
  const width = Object.fromEntries(columns.map((c) => [c, Math.max(headers[c].length, ...rows.map((r) => r[c].length))]));
  const line = (r) => columns.map((c) => r[c].padEnd(width[c])).join("  ").trimEnd();
  console.log("");
  console.log(line(headers));
  console.log(columns.map((c) => "-".repeat(width[c])).join("  "));
  for (const r of rows) console.log(line(r));
  const load = os.loadavg().map((n) => n.toFixed(2)).join(" ");
  console.log(`\n${os.cpus().length} CPUs, node ${process.version}, load average at start ${LOAD_AT_START}, at end ${load}` +
    `${HAS_TIME ? "" : `; ${TIME} not found: no peak RSS`}`);
  console.log("Wall times are of this machine at this moment: a load average above the CPU count means other work competed.");
  for (const { label, result } of failures) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-25).join("\n");
    console.log(`\n${label} failed (exit ${result.status}); last lines of its output:\n${tail}`);
  }
}

async function main() {
  const parts = selectedParts(process.argv.slice(2));
  const bench = {
    app: benchApp,
    synth: benchSynth,
    unit: benchUnit,
    test: benchWholeTest,
    tf: () => benchJest("terraform tier alone (npx jest __tests__/terraform)", "npx", ["jest", "__tests__/terraform"], 90),
    review: benchReview,
    plan: benchPlanReview,
  };
  for (const part of parts) {
    try {
      await bench[part]();
    } catch (error) {
      rows.push({ measurement: part, value: "n/a", target: "", verdict: "ERROR", note: error.message });
    }
  }
  printTable();
  process.exit(0);
}

main();
