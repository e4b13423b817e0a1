import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../mixpanel";

/** `0123…cdef`: enough to tell tokens apart in a review, without pasting them whole into a pull request. */
export function shortenId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

/** Shortens every occurrence of the given external IDs (also inside role names and addresses). */
export function shortenIds(text: string, ids: Iterable<string>): string {
  const long = [...new Set(ids)].filter((id) => id.length > 12).sort((a, b) => b.length - a.length);
  return long.reduce((result, id) => result.split(id).join(shortenId(id)), text);
}

/** A Markdown code span that survives backticks in the value. */
export function code(value: string): string {
  const fence = value.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${value}${fence.length > 1 ? " " : ""}${fence}`;
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
  return `⚠ ${code(principal.replace(/^AWS:/, ""))} (not Mixpanel's export user)`;
}

export function durationText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
