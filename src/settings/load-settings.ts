import * as fs from "fs";
import { MixpanelProject, MixpanelS3ExportProps } from "../config/props";
import { Problem, error, warning } from "../rules/problems";
import { validateProps } from "../rules/rules";
import { SETTINGS, SettingSpec } from "./catalog";

/** Where settings come from: cdktf.json `context` (what `cdktf synth` passes the app), overridden by the environment. */
export interface SettingSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface LoadedSettings {
  /** The construct props the settings describe (meaningful only when there are no errors). */
  readonly props: MixpanelS3ExportProps;
  /** Every error and warning, from reading the settings and from the construct's rules. */
  readonly problems: readonly Problem[];
}

/**
 * cdktf.json's context, from where the app finds it: `cdktf synth` hands it to the app in CDKTF_CONTEXT_JSON;
 * the app run by itself (`npm run synth`, on every Node version, where the archived cdktf CLI cannot run)
 * reads the file `cdktfJson` instead, so both synthesize the same stack. A file that is missing gives no
 * context; one that is not JSON is an error naming the file.
 */
export function appContext(env: Readonly<Record<string, string | undefined>>, cdktfJson: string): Record<string, unknown> {
  if (env.CDKTF_CONTEXT_JSON !== undefined) return contextFromEnv(env);
  let text: string;
  try {
    text = fs.readFileSync(cdktfJson, "utf8");
  } catch {
    return {};
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`${cdktfJson} is not valid JSON (${(error as Error).message}): fix it, or set the settings as environment variables`);
  }
  const context = (config as { context?: unknown } | null)?.context;
  return typeof context === "object" && context !== null && !Array.isArray(context) ? (context as Record<string, unknown>) : {};
}

/** Reads cdktf.json's context as `cdktf synth` hands it to the app. */
export function contextFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const json = env.CDKTF_CONTEXT_JSON;
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Turns settings into construct props and checks them all, without creating anything: the caller decides
 * whether to go on (nothing may be written when there are errors).
 */
export function loadSettings(sources: SettingSources): LoadedSettings {
  const problems: Problem[] = [];
  const context = sources.context ?? contextFromEnv(sources.env);
  const values: Record<string, unknown> = {};
  /** Props whose setting could not be read: already reported, so the construct's rules on them are not repeated. */
  const unreadable = new Set<string>();
  for (const spec of SETTINGS) {
    const raw = sources.env[spec.env] ?? context[spec.env];
    if (raw === undefined || raw === "") continue;
    const parsed = parseSetting(spec, raw);
    if ("problem" in parsed) {
      problems.push(parsed.problem);
      unreadable.add(spec.prop);
    } else {
      values[spec.prop] = parsed.value;
    }
  }
  const known = new Set(SETTINGS.map((spec) => spec.env));
  const unknown = [...Object.keys(sources.env), ...Object.keys(context)]
    .filter((name) => name.startsWith("MIXPANEL_") && !known.has(name));
  for (const name of new Set(unknown)) {
    const near = nearestSetting(name);
    problems.push(warning(name, sources.env[name] ?? context[name], "is not a setting of mixpanel-s3-export, so it is ignored (a typo?)",
      `${near ? `did you mean ${near}? Otherwise ` : ""}rename or remove it; the settings are listed in src/settings/catalog.ts`));
  }

  const props: MixpanelS3ExportProps = {
    ...(Object.fromEntries(Object.entries(values).filter(([prop]) => !prop.startsWith("projects"))) as object),
    projects: projectsFrom(values["projects[].token"] as string[] | undefined, values["projects[].projectId"] as string[] | undefined, problems),
    bucketName: values.bucketName as string,
    region: values.region as string,
  };
  return { props, problems: [...problems, ...validateProps(props).filter((problem) => !unreadable.has(problem.prop))] };
}

/** The setting whose name is closest to a misspelt one (at most 3 edits away), if any. */
function nearestSetting(name: string): string | undefined {
  let best: { env: string; distance: number } | undefined;
  for (const { env } of SETTINGS) {
    const distance = editDistance(name, env);
    if (distance <= 3 && (best === undefined || distance < best.distance)) best = { env, distance };
  }
  return best?.env;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function projectsFrom(tokens: string[] | undefined, ids: string[] | undefined, problems: Problem[]): MixpanelProject[] {
  if (!tokens) return [];
  if (ids && ids.length !== tokens.length) {
    problems.push(error("projects[].projectId", ids.join(","),
      `give one project ID per token, in the same order (${tokens.length} token(s), ${ids.length} ID(s))`,
      "list as many IDs as tokens, or none"));
    ids = undefined;
  }
  return tokens.map((token, i) => (ids ? { token, projectId: ids[i] } : { token }));
}

type Parsed = { value: unknown } | { problem: Problem };

function parseSetting(spec: SettingSpec, raw: unknown): Parsed {
  const bad = (rule: string, fix: string): Parsed => ({ problem: error(spec.prop, raw, rule, fix) });
  switch (spec.kind) {
    case "string":
      return typeof raw === "string" ? { value: raw.trim() } : bad("must be text", `write it as a string, e.g. "${spec.example}"`);
    case "list":
      if (Array.isArray(raw)) return { value: raw.map((item) => String(item).trim()).filter((item) => item !== "") };
      if (typeof raw !== "string" && typeof raw !== "number") return bad("must be a comma-separated list", `e.g. ${spec.example}`);
      return { value: String(raw).split(",").map((item) => item.trim()).filter((item) => item !== "") };
    case "boolean":
      if (typeof raw === "boolean") return { value: raw };
      if (typeof raw === "string" && (raw.trim() === "true" || raw.trim() === "false")) return { value: raw.trim() === "true" };
      return bad("must be true or false (lower case; not yes/no, 1/0 or TRUE)", "write true or false");
    case "integer": {
      if (typeof raw === "number" && Number.isInteger(raw)) return { value: raw };
      if (typeof raw === "string" && /^\d+$/.test(raw.trim()) && Number.isSafeInteger(Number(raw.trim()))) return { value: Number(raw.trim()) };
      return bad("must be a whole number", `write digits only, e.g. ${spec.example}`);
    }
    case "enum": {
      const text = String(raw).trim();
      // An unknown word is passed on: the construct's rules name the accepted ones.
      return { value: spec.values?.find((v) => v.toLowerCase() === text.toLowerCase()) ?? text };
    }
    case "tags": {
      if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) return { value: raw };
      try {
        const parsed: unknown = JSON.parse(String(raw));
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return { value: parsed };
      } catch {
        // reported below
      }
      return bad("must be a JSON object of tag keys to values", `e.g. ${spec.example}`);
    }
  }
}
