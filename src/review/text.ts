import { MIXPANEL_AWS_ACCOUNT_ID, MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../mixpanel";

/** What a review reads: a synthesized stack, or a Terraform plan (said in its texts: "created by this plan"). */
export type Reviewed = "stack" | "plan";

/** Principals that name Mixpanel's whole account. */
const MIXPANEL_ACCOUNT_PRINCIPALS = [`AWS:arn:aws:iam::${MIXPANEL_AWS_ACCOUNT_ID}:root`, `AWS:${MIXPANEL_AWS_ACCOUNT_ID}`];

/** Whether a principal (`AWS:<arn or account>`) is Mixpanel's account or a principal in it. */
export function inMixpanelAccount(principal: string): boolean {
  // An IAM user or role of the account, or an STS session of one (`arn:aws:sts::<account>:assumed-role/...`).
  return MIXPANEL_ACCOUNT_PRINCIPALS.includes(principal) ||
    principal.startsWith(`AWS:arn:aws:iam::${MIXPANEL_AWS_ACCOUNT_ID}:`) || principal.startsWith(`AWS:arn:aws:sts::${MIXPANEL_AWS_ACCOUNT_ID}:`);
}

/** `0123…cdef`: enough to tell tokens apart in a review, without pasting them whole into a pull request. */
export function shortenId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

/**
 * Shortens every occurrence of the given external IDs (also inside role names and addresses). Only literal
 * IDs: a variable's name (`var.project_token`) or a value known after apply (`<...>`) is shown whole.
 */
export function shortenIds(text: string, ids: Iterable<string>): string {
  const long = [...new Set(ids)].filter((id) => id.length > 12 && !/^var\.|^<|\$\{/.test(id)).sort((a, b) => b.length - a.length);
  if (long.length === 0) return text;
  // One pass for all IDs (longest first at each position): a plan's report is long and names hundreds.
  const pattern = new RegExp(long.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return text.replace(pattern, (id) => shortenId(id));
}

/** A Markdown code span that survives backticks in the value. */
export function code(value: string): string {
  const fence = value.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${value}${fence.length > 1 ? " " : ""}${fence}`;
}

/** A value as code; one the review cannot know yet (`<ARN of role x>`, from a reference) says so. */
export function valueText(value: string): string {
  return value.startsWith("<") ? `${code(value)} (known after apply)` : code(value);
}

export function codeList(values: readonly string[]): string {
  return values.map(code).join(", ");
}

/** Text fit for one cell of a Markdown table. */
export function cell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${headers.join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** A principal as a reviewer reads it: Mixpanel's user by name, anyone else flagged. */
export function principalText(principal: string): string {
  if (principal === `AWS:${MIXPANEL_EXPORT_PRINCIPAL_ARN}`) return `Mixpanel's export user ${code(MIXPANEL_EXPORT_PRINCIPAL_ARN)}`;
  if (principal === "*") return `⚠ anyone ${code("*")}`;
  if (MIXPANEL_ACCOUNT_PRINCIPALS.includes(principal)) {
    return `⚠ ${code(principal.replace(/^AWS:/, ""))}: any principal of Mixpanel's account, not only its export user`;
  }
  return `⚠ ${code(principal.replace(/^AWS:/, ""))} (not Mixpanel's export user)`;
}

export function durationText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
