import { describeSetting } from "../settings/catalog";
import { FixedRuleId, RULES, RuleId, RuleText, ruleAndFix, withDetail } from "./texts";

/** One broken rule (an error) or a risky choice (a warning), tied to the setting it concerns. */
export interface Problem {
  readonly severity: "error" | "warning";
  /** The construct prop, e.g. `bucketName` or `projects[].token`. */
  readonly prop: string;
  /** The value given, as the user wrote it. */
  readonly value: unknown;
  /** The rule, in words. */
  readonly rule: string;
  /** How to fix it. */
  readonly fix: string;
  /** The rule broken, for errors of the construct's rules (its words are {@link RULES}[id]). */
  readonly id?: RuleId;
}

export function error(prop: string, value: unknown, rule: string, fix: string): Problem {
  return { severity: "error", prop, value, rule, fix };
}

/** An error of the rule `id`, in the words of {@link RULES}, with an optional detail about this value appended. */
export function ruleError(id: FixedRuleId, prop: string, value: unknown, detail?: string): Problem {
  const text: RuleText = RULES[id];
  return { ...error(prop, value, withDetail(text.rule, detail), text.fix), id };
}

/** An error of a rule whose words name values: `text` is `RULES[id](...)`. */
export function ruleErrorWith(id: RuleId, text: RuleText, prop: string, value: unknown): Problem {
  return { ...error(prop, value, text.rule, text.fix), id };
}

export function warning(prop: string, value: unknown, rule: string, fix: string): Problem {
  return { severity: "warning", prop, value, rule, fix };
}

/** `MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName) = "Bad_Name": rule. Fix: ...` */
export function formatProblem(problem: Problem): string {
  return `${settingName(problem.prop)} = ${showValue(problem.value)}: ${ruleAndFix(problem.rule, problem.fix)}`;
}

function showValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A problem about a variable that is no setting at all (e.g. a misspelt `MIXPANEL_BUKET`) names it as such. */
function settingName(prop: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(prop) ? `environment variable or cdktf.json context key ${prop} (no such setting)` : describeSetting(prop);
}

/** Thrown before anything is synthesized when settings or props break a rule; lists every error. */
export class MixpanelSettingsError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `mixpanel-s3-export: ${problems.length} invalid setting${problems.length === 1 ? "" : "s"}; nothing was synthesized.\n` +
        problems.map((p, i) => `  ${i + 1}. ${formatProblem(p)}`).join("\n"),
    );
    this.name = "MixpanelSettingsError";
  }
}

const printedWarnings = new Set<string>();

/** Prints each warning once per process, however often the same settings are validated. */
export function printWarnings(problems: readonly Problem[], print: (line: string) => void = console.warn): void {
  for (const problem of problems) {
    if (problem.severity !== "warning") continue;
    const line = `mixpanel-s3-export warning: ${formatProblem(problem)}`;
    if (printedWarnings.has(line)) continue;
    printedWarnings.add(line);
    print(line);
  }
}

/** Throws {@link MixpanelSettingsError} listing every error, after printing the warnings. */
export function assertNoErrors(problems: readonly Problem[]): void {
  printWarnings(problems);
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new MixpanelSettingsError(errors);
}
