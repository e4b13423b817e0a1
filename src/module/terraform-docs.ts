/**
 * The module README's reference tables (requirements, providers, modules, resources, inputs, outputs) as
 * terraform-docs writes them, generated from the module's own files: every `*.tf.json` the build writes, so a
 * resource, variable or output added to any of them (or a new file) is in the README with nothing else to keep.
 *
 * The layout is `terraform-docs markdown table` 0.24 with its default settings (anchors, escaping, HTML, sorted
 * by name) in its default `inject` mode, between its markers: running terraform-docs on the built module
 * rewrites the section with the same text. terraform-docs is a Go program, not on npm, so the build does not
 * run it; where a text would take a rule of terraform-docs' escaping this file does not reproduce (line breaks,
 * code spans, URLs, `_emphasis_`), the build fails naming the text, rather than writing a section that differs.
 */

export const TF_DOCS_BEGIN = "<!-- BEGIN_TF_DOCS -->";
export const TF_DOCS_END = "<!-- END_TF_DOCS -->";

/** What terraform-docs reads of one Terraform JSON file. */
interface TerraformJsonFile {
  readonly terraform?: {
    readonly required_version?: string;
    readonly required_providers?: Readonly<Record<string, { readonly source?: string; readonly version?: string }>>;
  };
  readonly variable?: Readonly<Record<string, { readonly type?: string; readonly description?: string; readonly default?: unknown }>>;
  readonly output?: Readonly<Record<string, { readonly description?: string }>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly module?: unknown;
}

/** Go's string order (byte-wise; the same as UTF-16 order for these ASCII names), which terraform-docs sorts by. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** terraform-docs' escape of a name: `_` is Markdown's emphasis. */
const escapeName = (name: string) => name.replace(/_/g, "\\_");

/** `<a name="input_bucket_name"></a> [bucket\_name](#input\_bucket\_name)`. */
const anchored = (kind: string, name: string) => `<a name="${kind}_${name}"></a> [${escapeName(name)}](#${escapeName(`${kind}_${name}`)})`;

/** Texts whose terraform-docs rendering this file does not reproduce, and why. */
const UNSUPPORTED_TEXT: readonly [RegExp, string][] = [
  [/[\r\n]/, "a line break (terraform-docs turns it into <br/> by rules of its own)"],
  [/`/, "a code span (terraform-docs leaves it unescaped)"],
  [/:\/\//, "a URL (terraform-docs takes its escapes out again)"],
  [/(^[\t\n\f\r ]*_+[\t\n\f\r ])|([\t\n\f\r ]_+[^\t\n\f\r _].*[^\t\n\f\r _]_+[\t\n\f\r ])/, "_emphasis_ (terraform-docs leaves those underscores unescaped)"],
];

/** A description in a table cell, as terraform-docs escapes it: `|` and `_` escaped, `n/a` for none. */
function descriptionCell(text: string | undefined, where: string, problems: string[]): string {
  if (text === undefined || text === "") return "n/a";
  for (const [pattern, what] of UNSUPPORTED_TEXT) {
    if (pattern.test(text)) problems.push(`${where}: the description holds ${what}; reword it`);
  }
  return text.trim().replace(/\|/g, "\\|").replace(/_/g, "\\_");
}

/** A value as Go's JSON encoder writes it for terraform-docs: object keys sorted, two-space indent. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => Array.isArray(v) ? v.map(sorted)
    : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => byName(a, b)).map(([k, x]) => [k, sorted(x)]))
      : v;
  return JSON.stringify(sorted(value), null, 2);
}

/** A type or default in a table cell: one line in backticks, several in `<pre>` with `<br/>` line breaks. */
const codeCell = (code: string) => code.includes("\n") ? `<pre>${code.replace(/\n/g, "<br/>")}</pre>` : `\`${code}\``;

/**
 * terraform-docs' version in a provider's docs link: the version a constraint pins exactly (`5.100.0`, `=5.100.0`,
 * `= 5.100.0`), else (a range, or no constraint) `latest`.
 */
export function docsVersion(constraint: string | undefined): string {
  const parts = (constraint ?? "").split(" ");
  if (parts.length === 1 && /^\d/.test(parts[0])) return parts[0];
  if (parts.length === 1 && parts[0].startsWith("=")) return parts[0].slice(1);
  if (parts.length === 2 && parts[0] === "=") return parts[1];
  return "latest";
}

interface Block {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
}

/** A resource's provider: its type's first word (`aws_iam_role` -> `aws`), as Terraform defaults it. */
const providerOf = (type: string) => type.split("_")[0];

/**
 * The section between terraform-docs' markers, markers included, for the module's files (an object of file names
 * and their JSON, such as moduleFiles()). Throws, listing every text it cannot render as terraform-docs would.
 */
export function terraformDocsSection(files: object): string {
  const parsed = Object.entries(files as Record<string, TerraformJsonFile>).filter(([file]) => file.endsWith(".tf.json"));
  const problems: string[] = [];
  for (const [file, json] of parsed) {
    if (json.module !== undefined) problems.push(`${file}: module calls are not rendered; add the Modules table to terraform-docs.ts`);
  }
  const coreVersions = parsed.flatMap(([, json]) => json.terraform?.required_version ?? []);
  const requiredProviders = Object.assign({}, ...parsed.map(([, json]) => json.terraform?.required_providers ?? {})) as
    Record<string, { source?: string; version?: string }>;
  const blocks: Block[] = parsed.flatMap(([, json]) => [
    ...Object.entries(json.resource ?? {}).flatMap(([type, byBlock]) => Object.keys(byBlock).map((name): Block => ({ mode: "managed", type, name }))),
    ...Object.entries(json.data ?? {}).flatMap(([type, byBlock]) => Object.keys(byBlock).map((name): Block => ({ mode: "data", type, name }))),
  ]);
  const variables = parsed.flatMap(([file, json]) => Object.entries(json.variable ?? {}).map(([name, v]) => ({ file, name, ...v })));
  const outputs = parsed.flatMap(([file, json]) => Object.entries(json.output ?? {}).map(([name, o]) => ({ file, name, ...o })));

  const table = (header: string, separator: string, rows: readonly string[]) => [header, separator, ...rows].join("\n");
  const versionOf = (provider: string) => requiredProviders[provider]?.version ?? "n/a";

  const requirements = [
    ...coreVersions.map((version) => `| ${anchored("requirement", "terraform")} | ${version} |`),
    ...Object.keys(requiredProviders).sort(byName).filter((name) => requiredProviders[name].version !== undefined)
      .map((name) => `| ${anchored("requirement", name)} | ${requiredProviders[name].version} |`),
  ];
  const providers = [...new Set(blocks.map((b) => providerOf(b.type)))].sort(byName)
    .map((name) => `| ${anchored("provider", name)} | ${versionOf(name)} |`);
  const resources = [...blocks]
    // Managed resources first, then data sources; each by type.name.
    .sort((a, b) => a.mode !== b.mode ? (a.mode === "managed" ? -1 : 1) : byName(`${a.type}.${a.name}`, `${b.type}.${b.name}`))
    .map((b) => {
      const provider = providerOf(b.type);
      const source = requiredProviders[provider]?.source ?? `hashicorp/${provider}`;
      const url = `https://registry.terraform.io/providers/${source}/${docsVersion(requiredProviders[provider]?.version)}/docs/` +
        `${b.mode === "managed" ? "resources" : "data-sources"}/${b.type.slice(provider.length + 1)}`;
      return `| [${b.type}.${b.name}](${url}) | ${b.mode === "managed" ? "resource" : "data source"} |`;
    });
  const inputs = [...variables].sort((a, b) => byName(a.name, b.name)).map((v) => {
    const required = v.default === undefined;
    return `| ${anchored("input", v.name)} | ${descriptionCell(v.description, `${v.file}: variable ${v.name}`, problems)} | ` +
      `${codeCell(v.type ?? "any")} | ${required ? "n/a" : codeCell(goJson(v.default))} | ${required ? "yes" : "no"} |`;
  });
  const outputRows = [...outputs].sort((a, b) => byName(a.name, b.name))
    .map((o) => `| ${anchored("output", o.name)} | ${descriptionCell(o.description, `${o.file}: output ${o.name}`, problems)} |`);

  if (problems.length > 0) throw new Error(`the module README's terraform-docs section cannot be generated:\n${problems.map((p) => `- ${p}`).join("\n")}`);

  const orNone = (rows: readonly string[], none: string, render: (rows: readonly string[]) => string) => rows.length === 0 ? none : render(rows);
  const sections = [
    ["Requirements", orNone(requirements, "No requirements.", (rows) => table("| Name | Version |", "| ---- | ------- |", rows))],
    ["Providers", orNone(providers, "No providers.", (rows) => table("| Name | Version |", "| ---- | ------- |", rows))],
    ["Modules", "No modules."],
    ["Resources", orNone(resources, "No resources.", (rows) => table("| Name | Type |", "| ---- | ---- |", rows))],
    ["Inputs", orNone(inputs, "No inputs.", (rows) => table("| Name | Description | Type | Default | Required |", "| ---- | ----------- | ---- | ------- | :------: |", rows))],
    ["Outputs", orNone(outputRows, "No outputs.", (rows) => table("| Name | Description |", "| ---- | ----------- |", rows))],
  ];
  return `${TF_DOCS_BEGIN}\n${sections.map(([heading, body]) => `## ${heading}\n\n${body}`).join("\n\n")}\n${TF_DOCS_END}`;
}
