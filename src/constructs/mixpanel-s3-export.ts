import { AwsProvider, DataAwsRegion, IamPolicy, KmsAlias, KmsKey } from "../cdk/aws";
import { TerraformStack, Token } from "../cdk/core";
import { Construct } from "constructs";
import { providerRegionExpression } from "../config/aws-provider";
import { ExportPlan, RolePlan, planExport, scopedDataPolicyName } from "../config/export-plan";
import { MixpanelS3ExportProps, ResolvedProps, withDefaults } from "../config/props";
import { EncryptionType } from "../mixpanel";
import { dataAccessPolicy, kmsAccessPolicy, prefixScopedDataAccessPolicy } from "../policies/mixpanel-policies";
import { PolicyDocument, renderPolicy } from "../policies/policy-document";
import { assertNoErrors } from "../rules/problems";
import { glueRegionProblems, validateProps } from "../rules/rules";
import { PLAN_RULES, ruleAndFix } from "../rules/texts";
import { BucketEncryption, ExportBucket } from "./export-bucket";
import { MixpanelAccessRole } from "./mixpanel-access-role";
import { MixpanelGlueCatalog } from "./mixpanel-glue-catalog";
import { nonEmpty } from "./tags";

export type { MixpanelS3ExportProps } from "../config/props";

/**
 * Mixpanel's "AWS S3" page as one construct: the bucket (or an existing one), the data-modification
 * policy, optional SSE-S3 or SSE-KMS with the KMS policy, and the cross-account role(s) Mixpanel assumes.
 * Its readonly properties are what Mixpanel's pipeline form asks for ("Step 4").
 *
 * Props are validated in the constructor: every problem is listed in one {@link MixpanelSettingsError}. That
 * `region` is where the AWS provider makes the bucket can only be known at plan: a `data "aws_region"` (no API
 * call) with a postcondition refuses a provider configured for another region.
 */
export class MixpanelS3Export extends Construct {
  /** Mixpanel form "Bucket". */
  readonly bucketName: string;
  /** Mixpanel form "Region". */
  readonly region: string;
  /** Mixpanel form "Role" when there is one role; undefined with several per-project roles. */
  readonly roleArn?: string;
  /** The role ARN to enter in Mixpanel for each project, by project token. */
  readonly roleArns: Readonly<Record<string, string>>;
  /** Mixpanel form "Encryption": NONE, AES or KMS. */
  readonly encryption: EncryptionType;
  /** Mixpanel form "KMS Key ID": the customer key's ARN, or "" for none or the aws/s3 key. */
  readonly kmsKeyId: string;
  /** The bucket and its configuration. */
  readonly exportBucket: ExportBucket;
  /** The KMS key, when the construct creates one. */
  readonly kmsKey?: KmsKey;
  /** The roles Mixpanel assumes, by construct ID. */
  readonly roles: readonly MixpanelAccessRole[];
  /** Mixpanel form, Glue "Database"; undefined without `glueDatabase`. */
  readonly glueDatabase?: string;
  /** Mixpanel form, Glue "Region" (the bucket's); undefined without `glueDatabase`. */
  readonly glueRegion?: string;
  /** Mixpanel form, Glue "Role"; undefined without `glueDatabase`. */
  readonly glueRoleArn?: string;
  /** Mixpanel form, Redshift "Role"; undefined without `redshiftRole`. */
  readonly redshiftRoleArn?: string;
  /** The Glue database and the Glue and Redshift roles, with `glueDatabase`. */
  readonly glueCatalog?: MixpanelGlueCatalog;

  constructor(scope: Construct, id: string, props: MixpanelS3ExportProps) {
    super(scope, id);
    assertNoErrors([...validateProps(props), ...glueRegionProblems(props, providerRegion(this))]);
    const p = withDefaults(props);
    const plan = planExport(p);
    const tags = nonEmpty(p.tags);
    if (!Token.isUnresolved(p.region)) this.checkProviderRegion(p.region);

    if (plan.keyChoice === "created") {
      this.kmsKey = new KmsKey(this, "kms-key", {
        description: `Encrypts Mixpanel exports in S3 bucket ${p.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        // No key policy argument: AWS's default key policy delegates to the account's IAM, which is what
        // lets the IAM policy below grant Mixpanel's role the use of the key.
        tags,
        lifecycle: { preventDestroy: p.preventDestroy },
      });
      new KmsAlias(this, "kms-alias", { name: plan.kmsAliasName, targetKeyId: this.kmsKey.keyId });
    }
    const customerKeyArn = plan.keyChoice === "created" ? this.kmsKey!.arn
      : plan.keyChoice === "customer" ? p.kmsKeyArn : undefined;

    this.exportBucket = new ExportBucket(this, "bucket", {
      bucketName: p.bucketName,
      create: p.createBucket,
      adopt: p.adopt.includes("bucket"),
      encryption: plan.manageEncryption ? bucketEncryption(plan, customerKeyArn, p.bucketKey) : undefined,
      manageConfig: plan.manageBucketConfig,
      blockPublicAccess: p.blockPublicAccess,
      enforceBucketOwner: p.enforceBucketOwner,
      tlsOnly: p.tlsOnly,
      preventDestroy: p.preventDestroy,
      abortIncompleteUploadsDays: p.abortIncompleteUploadsDays,
      projectIds: p.projects.flatMap((project) => (project.projectId ? [project.projectId] : [])),
      eventsTransition: p.eventsTransitionDays !== undefined
        ? { days: p.eventsTransitionDays, storageClass: p.eventsStorageClass } : undefined,
      eventsExpirationDays: p.eventsExpirationDays,
      noncurrentVersionExpirationDays: p.versioning ? p.noncurrentVersionExpirationDays : undefined,
      accessLog: p.accessLogBucket ? { bucket: p.accessLogBucket, prefix: p.accessLogPrefix } : undefined,
      tags: p.tags,
    });

    const managedPolicy = (policyId: string, name: string, description: string, document: PolicyDocument) =>
      new IamPolicy(this, policyId, { name, path: p.rolePath, description, policy: renderPolicy(document), tags });

    const kmsPolicy = customerKeyArn === undefined ? undefined : managedPolicy("kms-policy", plan.kmsPolicyName,
      `Lets Mixpanel's export role use the KMS key of S3 bucket ${p.bucketName} (Mixpanel AWS S3 export, step 2)`,
      kmsAccessPolicy(customerKeyArn));
    const sharedDataPolicy = plan.roles.some((role) => role.keyPrefix === undefined)
      ? managedPolicy("data-policy", plan.dataPolicyName,
        `Lets Mixpanel's export role write exports to S3 bucket ${p.bucketName} (Mixpanel AWS S3 export, step 1)`,
        dataAccessPolicy(p.bucketName))
      : undefined;

    this.roles = plan.roles.map((role) => {
      const dataPolicy = role.keyPrefix === undefined ? sharedDataPolicy! : managedPolicy(
        `data-policy-${role.projects[0].token}`, scopedDataPolicyName(plan, role),
        `Lets Mixpanel's export role for project ${role.projects[0].projectId} write under ${role.keyPrefix} in S3 bucket ${p.bucketName}`,
        prefixScopedDataAccessPolicy(p.bucketName, role.keyPrefix));
      return new MixpanelAccessRole(this, role.id, {
        roleName: role.name,
        externalIds: role.projects.map((project) => project.token),
        description: roleDescription(p, role),
        path: p.rolePath,
        permissionsBoundaryArn: p.permissionsBoundaryArn,
        maxSessionDuration: p.maxSessionDuration,
        tags: p.tags,
        adopt: p.adopt.includes("role"),
        policyArns: { "data-policy": dataPolicy.arn, ...(kmsPolicy ? { "kms-policy": kmsPolicy.arn } : {}) },
      });
    });

    if (plan.glue) {
      this.glueCatalog = new MixpanelGlueCatalog(this, "glue", {
        database: plan.glue.database,
        createDatabase: plan.glue.createDatabase,
        scopeToDatabase: plan.glue.scopeToDatabase,
        redshiftRole: plan.glue.redshiftRole,
        region: p.region,
        bucketName: p.bucketName,
        customerKeyArn,
        names: plan.glue.names,
        path: p.rolePath,
        permissionsBoundaryArn: p.permissionsBoundaryArn,
        maxSessionDuration: p.maxSessionDuration,
        preventDestroy: p.preventDestroy,
        tags: p.tags,
      });
      this.glueDatabase = plan.glue.database;
      this.glueRegion = p.region;
      this.glueRoleArn = this.glueCatalog.glueRole.role.arn;
      this.redshiftRoleArn = this.glueCatalog.redshiftRole?.role.arn;
    }

    this.bucketName = p.bucketName;
    this.region = p.region;
    this.encryption = p.encryption;
    this.kmsKeyId = customerKeyArn ?? "";
    this.roleArns = Object.fromEntries(plan.roles.flatMap((role, i) =>
      role.projects.map((project) => [project.token, this.roles[i].role.arn])));
    this.roleArn = this.roles.length === 1 ? this.roles[0].role.arn : undefined;
  }

  /** Fails the plan when the provider's region is not `region`, in the module's words (PLAN_RULES.regionProvider). */
  private checkProviderRegion(region: string): void {
    const provider = providerRegionExpression("self");
    const text = PLAN_RULES.regionProvider(region, `\${${provider}}`);
    new DataAwsRegion(this, "provider-region", {
      lifecycle: {
        postcondition: [{ condition: `\${${provider} == ${JSON.stringify(region)}}`, errorMessage: `region: ${ruleAndFix(text.rule, text.fix)}.` }],
      },
    });
  }
}

/** The region of the stack's default AWS provider, when it is known at synth (where a created Glue database goes). */
function providerRegion(scope: Construct): string | undefined {
  const provider = TerraformStack.of(scope).node.findAll()
    .find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
  return provider?.region;
}

function bucketEncryption(plan: ExportPlan, customerKeyArn: string | undefined, bucketKey: boolean): BucketEncryption | undefined {
  switch (plan.keyChoice) {
    case "none": return undefined;
    case "s3-managed": return { algorithm: "AES256" };
    default: return { algorithm: "aws:kms", kmsKeyArn: customerKeyArn, bucketKey };
  }
}

function roleDescription(p: ResolvedProps, role: RolePlan): string {
  const which = role.projects.length === 1 ? "its project token" : "one of its project tokens";
  return `Assumed by Mixpanel's export user (external ID: ${which}) to write Mixpanel exports to S3 bucket ${p.bucketName}` +
    (role.keyPrefix ? ` under ${role.keyPrefix}` : "");
}
