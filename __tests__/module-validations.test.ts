import * as fs from "fs";
import * as path from "path";
import { MixpanelS3ExportProps } from "../src/config/props";
import { moduleFiles } from "../src/module/module-json";
import {
  BUCKET_REGION, ModuleValidation, RULES_NOT_IN_MODULE, escapeTemplate, inModuleTerms, moduleValidations, planTimeValidations, variableName,
} from "../src/module/validations";
import { moduleVariables } from "../src/module/variables";
import { Problem, formatProblem } from "../src/rules/problems";
import { validateProps } from "../src/rules/rules";
import { PLAN_RULES, RULES, RuleId, ruleAndFix, withDetail } from "../src/rules/texts";

const T = "0123456789abcdef0123456789abcdef";
const T2 = "fedcba9876543210fedcba9876543210";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const keyArn = (region: string) => `arn:aws:kms:${region}:111122223333:key/${KEY_ID}`;
const BASE: MixpanelS3ExportProps = { projects: [{ token: T }], bucketName: "acme-mixpanel-export", region: "us-east-1" };
const withIds: Partial<MixpanelS3ExportProps> = { projects: [{ token: T, projectId: "1001" }] };

/**
 * For each validation (keyed `<variable>/<rule id>[/<detail>]`), props that break its rule: the synth-time
 * error these give is what the validation's message must say.
 */
const BAD: Record<string, Partial<MixpanelS3ExportProps>> = {
  "projects/tokenRequired": { projects: [] },
  "projects/projectObject": { projects: [null as never] },
  "projects/tokenMissing": { projects: [{ token: undefined as never }] },
  "projects/tokenExternalId": { projects: [{ token: "a" }] },
  "projects/tokenDuplicate": { projects: [{ token: T }, { token: T }] },
  "projects/projectIdForEveryToken": { projects: [{ token: T, projectId: "1" }, { token: T2 }] },
  "projects/projectIdFormat": { projects: [{ token: T, projectId: "0" }] },
  "projects/projectIdDuplicate": { projects: [{ token: T, projectId: "12" }, { token: T2, projectId: "12" }] },
  "projects/roleName": { projects: [{ token: T, roleName: "mixpanel export" }, { token: T2, roleName: "mixpanel-b" }], rolePerProject: true },
  "projects/projectRoleNameNeedsRolePerProject": { projects: [{ token: T, roleName: "mixpanel-a" }] },
  "projects/projectRoleNameDuplicate": { projects: [{ token: T, roleName: "mixpanel-a" }, { token: T2, roleName: "Mixpanel-A" }], rolePerProject: true },
  "bucket_name/bucketRequired": { bucketName: "" },
  "bucket_name/bucketLength": { bucketName: "ab" },
  "bucket_name/bucketCharacters": { bucketName: "Bad_Bucket" },
  "bucket_name/bucketStartEnd": { bucketName: "-acme" },
  "bucket_name/bucketAdjacentDots": { bucketName: "acme..export" },
  "bucket_name/bucketIpAddress": { bucketName: "192.168.5.4" },
  "region/regionFormat": { region: "US-EAST-1" },
  "region/regionPartition": { region: "cn-north-1" },
  "manage_existing_bucket/manageExistingBucket": { createBucket: false, manageExistingBucket: "some" as never },
  "encryption/encryptionValues": { encryption: "FOO" as never },
  "kms_key_arn/kmsKeyOnlyWithKms": { encryption: "AES", kmsKeyArn: keyArn("us-east-1") },
  "kms_key_arn/kmsKeyArnAlias": { encryption: "KMS", kmsKeyArn: "alias/mixpanel" },
  "kms_key_arn/kmsKeyArnNotKeyArn": { encryption: "KMS", kmsKeyArn: `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_ID}` },
  "kms_key_arn/kmsKeyArnBareId": { encryption: "KMS", kmsKeyArn: KEY_ID },
  "kms_key_arn/kmsKeyRegion": { encryption: "KMS", kmsKeyArn: keyArn("eu-west-1") },
  // The key object's ARN is the construct's kmsKeyArn: the same rules, with messages naming kms_key.
  "kms_key/kmsKeyOnlyWithKms": { encryption: "AES", kmsKeyArn: keyArn("us-east-1") },
  "kms_key/kmsKeyArnAlias": { encryption: "KMS", kmsKeyArn: "alias/mixpanel" },
  "kms_key/kmsKeyArnNotKeyArn": { encryption: "KMS", kmsKeyArn: `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_ID}` },
  "kms_key/kmsKeyArnBareId": { encryption: "KMS", kmsKeyArn: KEY_ID },
  "kms_key/kmsKeyRegion": { encryption: "KMS", kmsKeyArn: keyArn("eu-west-1") },
  "create_kms_key/kmsKeyAndCreateKey": { encryption: "KMS", kmsKeyArn: keyArn("us-east-1"), createKmsKey: true },
  "create_kms_key/createKmsKeyOnlyWithKms": { createKmsKey: true },
  "scope_to_project_prefix/scopeNeedsRolePerProject": { ...withIds, scopeToProjectPrefix: true },
  "scope_to_project_prefix/scopeNeedsProjectIds": { projects: [{ token: T }, { token: T2 }], rolePerProject: true, scopeToProjectPrefix: true },
  "role_name/roleName": { roleName: "mixpanel export" },
  "role_path/rolePath": { rolePath: "/vendors" },
  "permissions_boundary_arn/permissionsBoundaryArn": { permissionsBoundaryArn: "arn:aws:iam::111122223333:role/boundary" },
  "max_session_duration/maxSessionDuration": { maxSessionDuration: 3599 },
  "name_prefix/namePrefix": { namePrefix: "analytics." },
  "tags/tagCount": { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`key${i}`, "v"])) },
  "tags/tagKeyLength": { tags: { "": "v" } },
  "tags/tagKeyReserved": { tags: { "aws:team": "data" } },
  "tags/tagKeyCharacters": { tags: { "team*": "data" } },
  "tags/tagValueLength": { tags: { team: "v".repeat(257) } },
  "tags/tagValueCharacters": { tags: { team: "data*" } },
  "abort_incomplete_uploads_days/daysFromZero": { abortIncompleteUploadsDays: -1 },
  "events_transition_days/daysFromOne": { ...withIds, eventsTransitionDays: 0 },
  "events_transition_days/transitionStandardIa": { ...withIds, eventsTransitionDays: 10 },
  "events_transition_days/transitionOnezoneIa": { ...withIds, eventsTransitionDays: 10, eventsStorageClass: "ONEZONE_IA" },
  "events_transition_days/eventRulesNeedProjectIds": { eventsTransitionDays: 90 },
  "events_storage_class/storageClass": { eventsStorageClass: "GLACIER_DEEP" as never },
  "events_expiration_days/daysFromOne": { ...withIds, eventsExpirationDays: 0 },
  "events_expiration_days/expirationAfterTransition": { ...withIds, eventsTransitionDays: 90, eventsExpirationDays: 60 },
  "events_expiration_days/eventRulesNeedProjectIds": { eventsExpirationDays: 730 },
  "noncurrent_version_expiration_days/daysFromOne": { noncurrentVersionExpirationDays: 0 },
  "access_log_bucket/bucketLength": { accessLogBucket: "ab" },
  "access_log_bucket/bucketCharacters": { accessLogBucket: "Logs" },
  "access_log_bucket/bucketStartEnd": { accessLogBucket: "logs-" },
  "access_log_bucket/bucketAdjacentDots": { accessLogBucket: "acme..logs" },
  "access_log_bucket/bucketIpAddress": { accessLogBucket: "10.0.0.1" },
  "access_log_bucket/accessLogSelf": { accessLogBucket: "acme-mixpanel-export" },
  "glue_database/glueDatabaseLength": { glueDatabase: "a".repeat(256) },
  "glue_database/glueDatabaseUpperCase": { glueDatabase: "Mixpanel_Exports" },
  "glue_database/glueDatabaseCharacters": { glueDatabase: "mixpanel_*" },
  "create_glue_database/glueSettingNeedsDatabase": { createGlueDatabase: false },
  "glue_scope_to_database/glueSettingNeedsDatabase": { glueScopeToDatabase: false },
  "redshift_role/redshiftNeedsGlueDatabase": { redshiftRole: true },
};
// Every reserved prefix and suffix, on both bucket variables.
for (const [variable, prop] of [["bucket_name", "bucketName"], ["access_log_bucket", "accessLogBucket"]] as const) {
  for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) BAD[`${variable}/bucketReservedPrefix/"${prefix}"`] = { [prop]: `${prefix}acme` };
  for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) BAD[`${variable}/bucketReservedSuffix/"${suffix}"`] = { [prop]: `acme${suffix}` };
}

const keyOf = (v: ModuleValidation) => [v.variable, v.id, ...(v.detail === undefined ? [] : [v.detail])].join("/");

/** The synth-time error of validation `v`'s rule for its bad props (the rule's words with any detail rules.ts adds). */
function synthError(v: ModuleValidation): Problem {
  const props = { ...BASE, ...BAD[keyOf(v)] } as MixpanelS3ExportProps;
  const errors = validateProps(props).filter((p) => p.severity === "error");
  const found = errors.find((p) => p.id === v.id && p.prop === v.prop && (v.detail === undefined || p.rule === withDetail(ruleOf(v.id), v.detail)));
  if (found === undefined) throw new Error(`validateProps reports no ${v.id} error on ${v.prop} for ${JSON.stringify(props)}; got:\n${errors.map((problem) => formatProblem(problem)).join("\n")}`);
  return found;
}

const ruleOf = (id: RuleId): string => {
  const entry = RULES[id];
  return typeof entry === "function" ? "" : entry.rule;
};

/** The rules' sources: rules.ts, and the bucket-name rules it shares with `adopt` (bucket-name.ts). */
const RULE_SOURCES = ["rules.ts", "bucket-name.ts"].map((file) => fs.readFileSync(path.join(__dirname, "..", "src", "rules", file), "utf8"));

/** Every rule id the rules report an error with (each `ruleError("<id>"` / `ruleErrorWith("<id>"`, and ids picked in a variable). */
function idsInRulesTs(): Set<string> {
  const source = RULE_SOURCES.join("\n");
  const ids = new Set<string>();
  for (const match of source.matchAll(/\bruleError(?:With)?\("(\w+)"/g)) ids.add(match[1]);
  for (const match of source.matchAll(/"(\w+)"/g)) if (match[1] in RULES) ids.add(match[1]);
  return ids;
}

describe("module validations carry the synth-time rules, with the same messages", () => {
  const validations = moduleValidations();

  test("every validation has a bad sample here, and every sample a validation", () => {
    expect(validations.map(keyOf).sort()).toEqual(Object.keys(BAD).sort());
  });

  test.each(validations.map((v) => [keyOf(v), v] as const))("%s: error_message is the synth-time rule and fix", (_key, v) => {
    const problem = synthError(v);
    // rules.ts appends some details about the value at hand (e.g. "(this one has 2)"); the module names the rule only.
    const moduleRule = v.id === "kmsKeyRegion" ? problem.rule : withDetail(ruleOf(v.id), v.detail);
    expect(problem.rule === moduleRule || problem.rule.startsWith(`${moduleRule} (`)).toBe(true);
    const expected = `${v.subject ?? variableName(v.prop)}: ${ruleAndFix(inModuleTerms(moduleRule), inModuleTerms(problem.fix))}.`;
    if (v.id === "kmsKeyRegion") {
      // The one message naming values: its interpolations, filled with this input's values, give the synth-time words.
      const key = v.variable === "kms_key" ? "var.kms_key.arn" : "var.kms_key_arn";
      const filled = v.error_message
        .replace(`\${try(split(":", ${key})[3], "")}`, "eu-west-1")
        .replace(`\${${BUCKET_REGION}}`, "us-east-1");
      expect(filled).toBe(expected);
      expect(filled).toContain(problem.rule);
    } else {
      expect(v.error_message).toBe(escapeTemplate(expected));
    }
    // The synth-time message says the same after its setting and value.
    expect(formatProblem(problem)).toContain(`: ${ruleAndFix(problem.rule, problem.fix)}`);
  });

  test("messages end with a period and are no template by accident", () => {
    for (const v of validations) {
      expect(v.error_message).toMatch(/\.$/);
      expect(v.error_message.replace(/\$\$\{/g, "").match(/\$\{/g)?.length ?? 0).toBe(v.id === "kmsKeyRegion" ? 2 : 0);
    }
  });

  test("rule texts name module variables, not construct props", () => {
    expect(inModuleTerms("set createKmsKey to false, or scopeToProjectPrefix; { token, projectId? }")).toBe("set create_kms_key to false, or scope_to_project_prefix; { token, project_id? }");
    for (const v of validations) expect(v.error_message).not.toMatch(/\b[a-z]+[A-Z]\w*\b/);
  });

  test("every error rule rules.ts can report has a module validation, or is excluded with a reason", () => {
    const inModule = new Set(validations.map((v) => v.id));
    const excluded = Object.keys(RULES_NOT_IN_MODULE);
    for (const id of Object.keys(RULES)) {
      expect([id, inModule.has(id as RuleId) || excluded.includes(id)]).toEqual([id, true]);
      expect([id, inModule.has(id as RuleId) && excluded.includes(id)]).toEqual([id, false]);
    }
    for (const reason of Object.values(RULES_NOT_IN_MODULE)) expect(reason!.length).toBeGreaterThan(40);
    // The exclusions, spelled out: type checks Terraform's types already make, the derived names, the region
    // the module takes from its provider when none is given, and adoption (the adopt command's flags in the
    // module's place).
    expect(excluded.sort()).toEqual(["adoptBucketNotCreated", "adoptRoleNeedsName", "adoptRolePerProject", "adoptValues",
      "booleanType", "bucketText", "derivedKmsAlias", "derivedPolicyName", "derivedRoleNameCharacters",
      "derivedRoleNameDuplicate", "derivedRoleNameLength", "glueDatabaseRegion", "regionRequired", "roleKeyDuplicate", "roleKeyFormat",
      "roleKeyNeeded", "roleKeyNeedsRolePerProject", "tagValueString", "tagsObject", "textType"]);
  });

  test("the rules live in one place: rules.ts reports every error through the RULES table, and uses all of it", () => {
    for (const source of RULE_SOURCES) expect(source).not.toMatch(/\berror\(/);
    expect([...idsInRulesTs()].sort()).toEqual(Object.keys(RULES).sort());
  });

  test("every error validateProps gives carries its rule id and the table's words", () => {
    const inputs = [...Object.values(BAD), { namePrefix: "p".repeat(60) }, { tags: { k: 42 as never } }, { tlsOnly: "false" as never }];
    for (const input of inputs) {
      for (const problem of validateProps({ ...BASE, ...input } as MixpanelS3ExportProps).filter((p) => p.severity === "error")) {
        expect(problem.id).toBeDefined();
        const entry = RULES[problem.id!];
        if (typeof entry !== "function") {
          expect(problem.rule.startsWith(entry.rule)).toBe(true);
          expect(problem.fix).toBe(entry.fix);
        }
      }
    }
  });

  test("the validations are wired into the module's variables.tf.json, conditions as ${...} expressions", () => {
    const written = (moduleFiles()["variables.tf.json"] as { variable: Record<string, { validation?: { condition: string; error_message: string }[] }> }).variable;
    const variables = moduleVariables().map((v) => v.name);
    for (const v of validations) {
      expect(variables).toContain(v.variable);
      expect(written[v.variable].validation).toContainEqual({ condition: `\${${v.condition}}`, error_message: v.error_message });
    }
    for (const v of planTimeValidations()) {
      expect(written[v.variable].validation).toContainEqual({ condition: `\${${v.condition}}`, error_message: v.error_message });
    }
    const total = Object.values(written).reduce((n, v) => n + (v.validation?.length ?? 0), 0);
    expect(total).toBe(validations.length + planTimeValidations().length);
  });

  test("conditions are one line each and refer to their own variable", () => {
    for (const v of validations) {
      expect(v.condition).not.toContain("\n");
      expect(v.condition).toContain(`var.${v.variable}`);
    }
  });
});

describe("plan-time validations (no synth-time counterpart: proven by the consumer tier's plans)", () => {
  test("one per plan-time rule, each message that rule's words on its variable", () => {
    const validations = planTimeValidations();
    expect(validations.map((v) => v.id).sort()).toEqual(Object.keys(PLAN_RULES).sort());
    const region = validations.find((v) => v.id === "regionProvider")!;
    expect(region.error_message).toBe(escapeTemplate(`region: ${ruleAndFix(PLAN_RULES.regionProvider("\u0000", "\u0001").rule, PLAN_RULES.regionProvider("", "").fix)}.`)
      .replace("\u0000", '${var.region == null ? "" : var.region}').replace("\u0001", "${local.provider_region}"));
    for (const v of validations.filter((x) => x.id !== "regionProvider")) {
      const text = PLAN_RULES[v.id as Exclude<typeof v.id, "regionProvider">];
      expect(v.error_message).toBe(escapeTemplate(`${v.variable === "projects" ? "projects[].token" : v.variable}: ${ruleAndFix(text.rule, text.fix)}.`));
    }
  });

  test("conditions are one line each and refer to their own variable", () => {
    for (const v of planTimeValidations()) {
      expect(v.condition).not.toContain("\n");
      expect(v.condition).toContain(`var.${v.variable}`);
    }
  });
});
