import { CDK_CONFIG_FILE } from "../cdk/names";
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

/**
 * Who a message is for: a library user wrote construct props (`bucketName = "Bad_Name": ...`); a user of the
 * deployable stack wrote settings (`MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName)
 * = "Bad_Name": ...`).
 */
export type Audience = "props" | "settings";

/** One problem in one line: the prop or setting, the value as given, the rule and the fix. */
export function formatProblem(problem: Problem, audience: Audience = "props"): string {
  const name = audience === "props" ? problem.prop : settingName(problem.prop);
  return `${name} = ${showValue(problem.value)}: ${ruleAndFix(problem.rule, problem.fix)}`;
}

/** What a Terraform value (a token, unknown until plan) reads as in a message. */
export const TOKEN_TEXT = "a Terraform value, checked at plan";

/** The value as the user gave it: JSON, with every Terraform token shown as {@link TOKEN_TEXT}. */
function showValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  // Loaded here, not at the top: settings and their problems are read before cdktf is needed (main.ts, the
  // tests' synth cache), and only a problem about a value needs it.
  const { Token } = require("../cdk/core") as typeof import("../cdk/core");
  if (Token.isUnresolved(value)) return `(${TOKEN_TEXT})`;
  try {
    const json = JSON.stringify(value, (_key, item: unknown) => (Token.isUnresolved(item) ? `(${TOKEN_TEXT})` : item));
    return json ?? String(value);
  } catch {
    return String(value);
  }
}

/** A problem about a variable that is no setting at all (e.g. a misspelt `MIXPANEL_BUKET`) names it as such. */
function settingName(prop: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(prop) ? `environment variable or ${CDK_CONFIG_FILE} context key ${prop} (no such setting)` : describeSetting(prop);
}

/** Thrown before anything is synthesized when settings or props break a rule; lists every error. */
export class MixpanelSettingsError extends Error {
  /** The errors, each once (not enumerable, so Node's report of an uncaught error does not list them again). */
  declare readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], audience: Audience = "props") {
    const what = audience === "props" ? "prop" : "setting";
    super(
      `mixpanel-s3-export: ${problems.length} invalid ${what}${problems.length === 1 ? "" : "s"}; nothing was synthesized.\n` +
        problems.map((p, i) => `  ${i + 1}. ${formatProblem(p, audience)}`).join("\n"),
    );
    Object.defineProperty(this, "problems", { value: problems, enumerable: false });
    this.name = "MixpanelSettingsError";
  }
}

const printedWarnings = new Set<string>();

/** Prints each warning once per process, in the words of settings (the deployable stack's main.ts). */
export function printWarnings(problems: readonly Problem[], print: (line: string) => void = console.warn): void {
  for (const problem of problems) {
    if (problem.severity !== "warning") continue;
    const line = `mixpanel-s3-export warning: ${formatProblem(problem, "settings")}`;
    if (printedWarnings.has(line)) continue;
    printedWarnings.add(line);
    print(line);
  }
}
