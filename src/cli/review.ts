/**
 * `mixpanel-s3-export review`: what a synthesized stack grants Mixpanel, or what a change to it grants,
 * as Markdown for a pull request. Reads the synthesized JSON only: it never loads cdktf or the AWS
 * provider bindings, so it starts and finishes in a fraction of a second.
 */
import { CDK_CLI } from "../cdk/names";
import { Change, StackDiff, diffStacks, renderDiff } from "../review/diff";
import { moduleAddressProblem } from "../rules/module-address";
import { DEFAULT_INPUT, LoadedPlan, LoadedStack, MAKE_PLAN_JSON, ReviewInput, ReviewInputError, loadInput, planAtModules } from "../review/input";
import { StackModel, readStack } from "../review/model";
import { moduleCallConfig, planChanges, readPlan } from "../review/plan";
import { renderReport } from "../review/report";
import { code } from "../review/text";

export const USAGE = `Usage:
  mixpanel-s3-export review [<path>]                   report what the stack grants Mixpanel
  mixpanel-s3-export review <plan.json>                what a saved plan changes, then what it grants
  mixpanel-s3-export review <plan.json> --module <address> [--module <address> ...]
                                                       the same, of what lies at or under those module calls
  mixpanel-s3-export review --base <path> --head <path>  only what changed between two synths, widening first

<path>: a ${CDK_CLI} output folder (default: cdktf.out), one stack's folder, or its cdk.tf.json.
<plan.json>: terraform plan -out=plan.bin && terraform show -json plan.bin > plan.json, in the ${CDK_CLI}
stack's folder or in any root (the module at any address, or resources of your own).
<address>: a module call as the plan writes it: module.prod, 'module.team["prod"]' (quote it in a shell),
'module.team["prod"].module.export[0]'; module.team takes in every instance of that call. Several
--module flags review their union; a call with no instance (count = 0) is reviewed as empty. The output
keeps the plan's full addresses.
Prints Markdown on stdout. Exit code: 0 no widening, 1 widening found (with a plan or --base/--head),
2 unusable input (the reason goes to stderr).
`;

/** Exit codes: the contract CI relies on. */
export const EXIT = { ok: 0, widening: 1, unusable: 2 } as const;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface Args {
  readonly help: boolean;
  readonly path?: string;
  readonly base?: string;
  readonly head?: string;
  /** Every `--module` value, as given (each once). */
  readonly modules: readonly string[];
  /** What is wrong with the `--module` flags, every problem at once. */
  readonly problems: readonly string[];
}

/** Runs the command for `argv` (after `node <script>`; a leading `review` is optional) and returns its exit code. */
export function runCli(argv: readonly string[], io: Io = processIo): number {
  try {
    const args = parseArgs(argv[0] === "review" ? argv.slice(1) : argv);
    if (args.help) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    if (args.base !== undefined && args.head !== undefined) {
      if (args.problems.length > 0) throw ReviewInputError.of(args.problems);
      const { markdown, changes } = reviewDiff(args.base, args.head);
      io.stdout(markdown);
      return changes.some((change) => change.kind === "widening") ? EXIT.widening : EXIT.ok;
    }
    const input = reviewInput(args);
    if (input.kind === "plan") {
      const { markdown, changes } = reviewPlan(input.plan);
      io.stdout(markdown);
      return changes.some((change) => change.kind === "widening") ? EXIT.widening : EXIT.ok;
    }
    io.stdout(renderReport(models(input.stacks)));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ReviewInputError) {
      io.stderr(`mixpanel-s3-export review: ${error.message}\n`);
    } else {
      io.stderr(`mixpanel-s3-export review: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
    }
    return EXIT.unusable;
  }
}

/**
 * What `review [<path>] [--module <address> ...]` reviews: the synth or the plan at the path, the plan limited
 * to the modules when --module is given. Throws every problem with the flags and the input at once.
 */
function reviewInput(args: Args): ReviewInput {
  const problems = [...args.problems];
  const path = args.path ?? DEFAULT_INPUT;
  const input = collectProblems(problems, () => loadInput(args.path));
  const addresses = args.modules.filter((module) => moduleAddressProblem("--module", module) === undefined);
  let limited = input;
  if (input?.kind === "synth" && args.modules.length > 0) {
    problems.push(`--module ${args.modules.join(", ")}: ${path} is a synth, not a saved plan; --module reviews part of a saved plan (${MAKE_PLAN_JSON})`);
  } else if (input?.kind === "plan" && addresses.length > 0) {
    const plan = collectProblems(problems, () => planAtModules(input.plan, addresses));
    limited = plan && { kind: "plan", plan };
  }
  if (problems.length > 0 || limited === undefined) throw ReviewInputError.of(problems);
  return limited;
}

/** What `run` returns, or undefined with the problems it threw added to `problems`. */
function collectProblems<T>(problems: string[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ReviewInputError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/** The diff of two synths: stacks paired by name (a single stack on each side is paired whatever its name). */
export function reviewDiff(basePath: string, headPath: string): { markdown: string; changes: Change[] } {
  const base = models(synthStacks(basePath, "--base"));
  const head = models(synthStacks(headPath, "--head"));
  const pairs: [StackModel | undefined, StackModel | undefined][] = base.length === 1 && head.length === 1
    ? [[base[0], head[0]]]
    : [...new Set([...base, ...head].map((stack) => stack.name))].sort()
      .map((name) => [base.find((s) => s.name === name), head.find((s) => s.name === name)]);
  const diffs: StackDiff[] = pairs.map(([b, h]) => ({ name: (h ?? b)!.name, changes: diffStacks(b, h) }));
  const ids = [...base, ...head].flatMap((stack) => stack.externalIds);
  return { markdown: renderDiff(diffs, ids), changes: diffs.flatMap((diff) => diff.changes) };
}

/**
 * A plan's own diff (each change's before and after; replacements and deletions first), then the report of
 * what its planned values grant; of the plan's modules only, once limited by {@link planAtModules}.
 */
export function reviewPlan(loaded: LoadedPlan): { markdown: string; changes: Change[] } {
  const models = readPlan(loaded.name, loaded.plan);
  const { before, after, otherRoles, otherBuckets, otherKmsKeys } = models;
  const changes = planChanges(models);
  const ids = [...before.externalIds, ...after.externalIds];
  const count = (n: number, noun: string) => `${n} other ${noun}${n === 1 ? "" : "s"}`;
  const unused = [otherBuckets > 0 ? count(otherBuckets, "bucket") : "", otherKmsKeys > 0 ? count(otherKmsKeys, "KMS key") : ""].filter(Boolean);
  const of = loaded.modules === undefined ? "of the plan" : loaded.modules.length === 1 ? "of the module" : "of these modules";
  const note = [
    ...(loaded.emptyModules ?? []).map((module) => emptyModuleNote(loaded, module)),
    otherRoles > 0 ? `${count(otherRoles, "role")} ${of} cannot be assumed by Mixpanel's account and ${otherRoles === 1 ? "is" : "are"} left out.` : "",
    unused.length > 0 ? `${unused.join(" and ")} ${of} ${otherBuckets + otherKmsKeys === 1 ? "is" : "are"} not used by a role Mixpanel's account may assume and left out.` : "",
  ].filter(Boolean).join(" ") || undefined;
  const diff = renderDiff([{ name: loaded.name, changes }], ids, "# What this plan changes for Mixpanel", "plan");
  const report = renderReport([after], { title: "# What this plan grants Mixpanel", plan: true, modules: loaded.modules, note });
  return { markdown: `${diff}\n${report}`, changes };
}

/** What the report says of a `--module` call under which the plan has nothing ({@link LoadedPlan.emptyModules}). */
function emptyModuleNote(loaded: LoadedPlan, module: string): string {
  const call = moduleCallConfig(loaded.plan, module);
  const repeated = call !== undefined && ("count_expression" in call || "for_each_expression" in call);
  return `${code(module)} ${repeated ? "has no instance in this plan (its `count` or `for_each` makes none)" : "makes no resource in this plan"}: there is nothing of it to review.`;
}

/** `--base` and `--head` compare two synths; a plan holds its own before and after. */
function synthStacks(path: string, flag: string): LoadedStack[] {
  const input = loadInput(path);
  if (input.kind === "plan") throw new ReviewInputError(`${flag} ${path} is a plan: a plan holds its own before and after, so review it alone (review ${path})`);
  return input.stacks;
}

function models(stacks: readonly LoadedStack[]): StackModel[] {
  return stacks.map((stack) => readStack(stack.name, stack.config));
}

function parseArgs(argv: readonly string[]): Args {
  const args: { help: boolean; path?: string; base?: string; head?: string; modules: string[]; problems: string[] } = { help: false, modules: [], problems: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--help" || flag === "-h" || flag === "help") {
      args.help = true;
    } else if (flag === "--base" || flag === "--head") {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") throw new ReviewInputError(`${flag} needs a path\n\n${USAGE}`);
      args[flag === "--base" ? "base" : "head"] = value;
    } else if (flag === "--module") {
      const value = inline ?? argv[++i];
      const problem = value === undefined || value === "" ? "--module needs the address of a module call, e.g. module.prod" : moduleAddressProblem("--module", value);
      if (problem !== undefined) args.problems.push(problem);
      if (value !== undefined && value !== "" && !args.modules.includes(value)) args.modules.push(value);
    } else if (flag.startsWith("-")) {
      throw new ReviewInputError(`unknown option ${flag}\n\n${USAGE}`);
    } else if (args.path === undefined) {
      args.path = arg;
    } else {
      throw new ReviewInputError(`one path only (got ${args.path} and ${arg}); to compare two synths use --base and --head\n\n${USAGE}`);
    }
  }
  if ((args.base === undefined) !== (args.head === undefined)) {
    throw new ReviewInputError(`--base and --head go together\n\n${USAGE}`);
  }
  if (args.base !== undefined && args.path !== undefined) {
    throw new ReviewInputError(`give either a path or --base and --head, not both\n\n${USAGE}`);
  }
  if (args.base !== undefined && args.modules.length > 0) {
    args.problems.push(`--module ${args.modules.join(", ")}: --module reviews part of a saved plan (review plan.json --module <address>); --base and --head compare two synths, which have no module calls`);
  }
  return args;
}

if (require.main === module) process.exitCode = runCli(process.argv.slice(2));
