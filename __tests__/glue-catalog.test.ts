import "./support/matchers";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { MixpanelS3Export } from "../src/constructs/mixpanel-s3-export";
import { MixpanelSettingsError } from "../src/rules/problems";
import { pageDataModificationPolicy, pageTrustPolicy } from "./fixtures/mixpanel-page";
import {
  pageGluePolicy, pageGlueTrustPolicy, pageRedshiftPolicy, pageRedshiftTrustPolicy,
} from "./fixtures/mixpanel-redshift-spectrum-page";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN, baseProps, parse, policyOf, resourcesOf, synthStack } from "./support/synth";

/**
 * Mixpanel's Redshift Spectrum destination: the Glue database, the Glue role and the Redshift role, compared
 * whole with the page's documents (fixtures/mixpanel-redshift-spectrum-page.ts).
 */
const DATABASE = "mixpanel_exports";

const byName = (synthesized: string, type: string, name: string) => {
  const found = Object.values(resourcesOf(synthesized, type)).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
};

/** The page writes `"Condition": {}` in the Glue trust; an empty condition block is no condition. */
function withoutEmptyConditions(document: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(document)) as { Statement: Record<string, unknown>[] };
  for (const statement of copy.Statement) {
    if (JSON.stringify(statement.Condition) === "{}") delete statement.Condition;
  }
  return copy;
}

/** What the role named is attached, by policy name. */
function attachedPolicyNames(synthesized: string, roleName: string): string[] {
  const roles = resourcesOf(synthesized, "aws_iam_role");
  const policies = resourcesOf(synthesized, "aws_iam_policy");
  const roleId = Object.keys(roles).find((id) => roles[id].name === roleName)!;
  return Object.values(resourcesOf(synthesized, "aws_iam_role_policy_attachment"))
    .filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`)
    .map((a) => String(policies[/^\$\{aws_iam_policy\.(.+)\.arn\}$/.exec(String(a.policy_arn))![1]].name))
    .sort();
}

describe("without glueDatabase nothing of the Glue part is synthesized", () => {
  const synthesized = synthStack(baseProps());
  test("no database, no Glue or Redshift role, no Glue outputs", () => {
    expect(synthesized).not.toHaveResource(GlueCatalogDatabase);
    expect(Object.values(resourcesOf(synthesized, "aws_iam_role")).map((r) => r.name)).toEqual(["mixpanel-export"]);
    expect(Object.keys(parse(synthesized).output ?? {}).filter((name) => /glue|redshift/.test(name))).toEqual([]);
  });
});

describe("glueDatabase with the defaults: a created database, the Glue role scoped to it", () => {
  const synthesized = synthStack(baseProps({ glueDatabase: DATABASE }));

  test("creates the database, protected from destroy, described", () => {
    expect(synthesized).toHaveResourceWithProperties(GlueCatalogDatabase, {
      name: DATABASE,
      description: `Mixpanel's exports in S3 bucket ${BUCKET}: one table per data source, maintained by Mixpanel`,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the Glue policy is the page's, whole, except its resources: the catalog, the database and its tables in the bucket's region", () => {
    const page = pageGluePolicy() as { Version: string; Statement: Record<string, unknown>[] };
    const scoped = {
      ...page,
      Statement: [{
        ...page.Statement[0],
        Resource: [
          "arn:aws:glue:us-east-1:*:catalog",
          `arn:aws:glue:us-east-1:*:database/${DATABASE}`,
          `arn:aws:glue:us-east-1:*:table/${DATABASE}/*`,
        ],
      }],
    };
    expect(policyOf(byName(synthesized, "aws_iam_policy", "mixpanel-glue-access"))).toEqual(scoped);
  });

  test("the Glue role's trust is the page's, whole: Mixpanel's export user, no external ID", () => {
    expect(policyOf(byName(synthesized, "aws_iam_role", "mixpanel-glue"), "assume_role_policy")).toEqual(withoutEmptyConditions(pageGlueTrustPolicy()));
  });

  test("the Glue role has the Glue policy only; the S3 role keeps its own policy and trust", () => {
    expect(attachedPolicyNames(synthesized, "mixpanel-glue")).toEqual(["mixpanel-glue-access"]);
    expect(attachedPolicyNames(synthesized, "mixpanel-export")).toEqual(["mixpanel-export-data-access"]);
    expect(policyOf(byName(synthesized, "aws_iam_role", "mixpanel-export"), "assume_role_policy")).toEqual(pageTrustPolicy(TOKEN));
    expect(policyOf(byName(synthesized, "aws_iam_policy", "mixpanel-export-data-access"))).toEqual(pageDataModificationPolicy(BUCKET));
  });

  test("no Redshift role by default", () => {
    expect(Object.values(resourcesOf(synthesized, "aws_iam_role")).map((r) => r.name).sort()).toEqual(["mixpanel-export", "mixpanel-glue"]);
  });

  test("outputs the form's Glue fields", () => {
    const outputs = parse(synthesized).output ?? {};
    const roleId = Object.keys(resourcesOf(synthesized, "aws_iam_role")).find((id) => id.includes("glue-role"));
    expect(outputs.mixpanel_glue_database).toEqual({ value: DATABASE, description: "Mixpanel form: Glue Database" });
    expect(outputs.mixpanel_glue_region).toEqual({ value: "us-east-1", description: "Mixpanel form: Glue Region" });
    expect(outputs.mixpanel_glue_role_arn).toEqual({ value: `\${aws_iam_role.${roleId}.arn}`, description: "Mixpanel form: Glue Role" });
    expect(outputs.mixpanel_redshift_role_arn).toBeUndefined();
  });
});

describe("glueScopeToDatabase false and an existing database", () => {
  const synthesized = synthStack(baseProps({ glueDatabase: DATABASE, glueScopeToDatabase: false, createGlueDatabase: false }));
  test("the Glue policy is the page's, whole, with its \"*\"", () => {
    expect(policyOf(byName(synthesized, "aws_iam_policy", "mixpanel-glue-access"))).toEqual(pageGluePolicy());
  });
  test("no database is created", () => {
    expect(synthesized).not.toHaveResource(GlueCatalogDatabase);
  });
});

describe("redshiftRole", () => {
  const synthesized = synthStack(baseProps({ glueDatabase: DATABASE, redshiftRole: true }));

  test("the Redshift policy is the page's three statements, whole", () => {
    expect(policyOf(byName(synthesized, "aws_iam_policy", "mixpanel-redshift-access"))).toEqual(pageRedshiftPolicy(BUCKET));
  });
  test("the Redshift role's trust is the page's, whole: Mixpanel's export user and Redshift, no condition", () => {
    expect(policyOf(byName(synthesized, "aws_iam_role", "mixpanel-redshift"), "assume_role_policy")).toEqual(pageRedshiftTrustPolicy());
  });
  test("without a customer managed key the Redshift role has the page's policy only", () => {
    expect(attachedPolicyNames(synthesized, "mixpanel-redshift")).toEqual(["mixpanel-redshift-access"]);
  });
  test("outputs the Redshift role", () => {
    const roleId = Object.keys(resourcesOf(synthesized, "aws_iam_role")).find((id) => id.includes("redshift-role"));
    expect(parse(synthesized).output?.mixpanel_redshift_role_arn?.value).toBe(`\${aws_iam_role.${roleId}.arn}`);
  });

  test.each([
    ["an existing customer key", { kmsKeyArn: CUSTOMER_KEY_ARN }, CUSTOMER_KEY_ARN],
    ["a created key", { createKmsKey: true }, "CREATED"],
  ])("with %s: kms:Decrypt on that key, in a statement of its own", (_name, keyProps, expectedKey) => {
    const withKey = synthStack(baseProps({ glueDatabase: DATABASE, redshiftRole: true, encryption: "KMS", ...keyProps }));
    const keyId = Object.keys(resourcesOf(withKey, "aws_kms_key"))[0];
    const key = expectedKey === "CREATED" ? `\${aws_kms_key.${keyId}.arn}` : expectedKey;
    expect(policyOf(byName(withKey, "aws_iam_policy", "mixpanel-redshift-kms"))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "MixpanelRedshiftKmsDecryptStatement", Effect: "Allow", Action: ["kms:Decrypt"], Resource: key }],
    });
    expect(attachedPolicyNames(withKey, "mixpanel-redshift")).toEqual(["mixpanel-redshift-access", "mixpanel-redshift-kms"]);
    // The page's policy stays the page's.
    expect(policyOf(byName(withKey, "aws_iam_policy", "mixpanel-redshift-access"))).toEqual(pageRedshiftPolicy(BUCKET));
  });

  test("with the aws/s3 key no KMS grant (its key policy lets the account's principals use it through S3)", () => {
    const awsKey = synthStack(baseProps({ glueDatabase: DATABASE, redshiftRole: true, encryption: "KMS" }));
    expect(Object.values(resourcesOf(awsKey, "aws_iam_policy")).map((p) => p.name)).not.toContain("mixpanel-redshift-kms");
  });
});

describe("role controls apply to the Glue and Redshift roles too", () => {
  const synthesized = synthStack(baseProps({
    glueDatabase: DATABASE, redshiftRole: true, namePrefix: "analytics-", rolePath: "/vendors/",
    permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/vendor-boundary", maxSessionDuration: 7200, tags: { team: "data" },
  }));
  test.each(["analytics-mixpanel-glue", "analytics-mixpanel-redshift"])("%s", (name) => {
    expect(byName(synthesized, "aws_iam_role", name)).toEqual(expect.objectContaining({
      path: "/vendors/", permissions_boundary: "arn:aws:iam::111122223333:policy/vendor-boundary", max_session_duration: 7200, tags: { team: "data" },
    }));
  });
  test("the database is tagged", () => {
    expect(synthesized).toHaveResourceWithProperties(GlueCatalogDatabase, { tags: { team: "data" } });
  });
});

describe("the Glue database goes to the provider's region, which must be the bucket's", () => {
  /** A user's stack with its own provider, and the construct in it (a fresh stack per call). */
  const inStack = (providerRegion: string, props = {}) => () => {
    const stack = new TerraformStack(Testing.app(), "user-stack");
    new AwsProvider(stack, "aws", { region: providerRegion });
    return new MixpanelS3Export(stack, "mixpanel", baseProps({ glueDatabase: DATABASE, ...props }));
  };

  test("a provider in another region fails, naming the prop, both regions and the Glue database's rule, once", () => {
    const build = inStack("eu-west-1");
    expect(build).toThrow(MixpanelSettingsError);
    expect(build).toThrow(/^mixpanel-s3-export: 1 invalid prop; nothing was synthesized\.\n  1\. region = "us-east-1": the Glue database would be created in the AWS provider's region eu-west-1, but the bucket is in us-east-1; [^\n]*$/);
  });
  test("the same region passes", () => {
    expect(inStack("us-east-1")).not.toThrow();
  });
  test("an existing database is not created by the provider: the bucket's own region rule, naming both regions", () => {
    expect(inStack("eu-west-1", { createGlueDatabase: false })).toThrow(
      /^mixpanel-s3-export: 1 invalid prop; nothing was synthesized\.\n  1\. region = "us-east-1": the bucket's region is given as us-east-1, but the AWS provider the construct uses is configured for eu-west-1, [^\n]*$/);
  });
});
