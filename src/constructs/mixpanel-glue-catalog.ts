import { GlueCatalogDatabase, IamPolicy } from "../cdk/aws";
import { Construct } from "constructs";
import { GlueNames, glueDescriptions } from "../config/export-plan";
import {
  glueAccessPolicy, glueTrustPolicy, redshiftAccessPolicy, redshiftKmsPolicy, redshiftTrustPolicy,
} from "../policies/glue-policies";
import { PolicyDocument, renderPolicy } from "../policies/policy-document";
import { MixpanelAccessRole } from "./mixpanel-access-role";
import { nonEmpty } from "./tags";

export interface MixpanelGlueCatalogProps {
  /** Name of the Glue database Mixpanel keeps its tables in. */
  readonly database: string;
  /** Create the database; when false it exists in `region`. */
  readonly createDatabase: boolean;
  /** Limit the Glue role to the catalog, the database and its tables; false: Mixpanel's page's `"*"`. */
  readonly scopeToDatabase: boolean;
  /** Create Mixpanel's Redshift role. */
  readonly redshiftRole: boolean;
  /** The bucket's region, where the database is. */
  readonly region: string;
  /** The export bucket, which the Redshift role reads. */
  readonly bucketName: string;
  /**
   * ARN of the customer managed key that encrypts the bucket: the Redshift role gets `kms:Decrypt` on it.
   * @default - no KMS grant (no encryption, SSE-S3 or the aws/s3 key)
   */
  readonly customerKeyArn?: string | undefined;
  /** Role and policy names; the export's are `<namePrefix>mixpanel-glue`, `<namePrefix>mixpanel-glue-access`, ... */
  readonly names: GlueNames;
  /**
   * IAM path of the roles and policies.
   * @default "/"
   */
  readonly path?: string | undefined;
  /**
   * Permissions boundary policy ARN of the roles.
   * @default - no permissions boundary
   */
  readonly permissionsBoundaryArn?: string | undefined;
  /**
   * Maximum session duration of the roles, in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number | undefined;
  /**
   * Terraform prevent_destroy on a created database (it also holds the tables and views users add).
   * @default true
   */
  readonly preventDestroy?: boolean | undefined;
  /**
   * Tags of every taggable resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/**
 * The Glue catalog part of Mixpanel's Redshift Spectrum page: the Glue database (or an existing one), the
 * Glue role Mixpanel assumes to keep one table per data source in it, and optionally the Redshift role.
 * Both roles trust Mixpanel's export user without an external ID, as Mixpanel documents them.
 */
export class MixpanelGlueCatalog extends Construct {
  /** The created database; undefined for an existing one. */
  readonly database?: GlueCatalogDatabase | undefined;
  readonly glueRole: MixpanelAccessRole;
  readonly redshiftRole?: MixpanelAccessRole | undefined;

  constructor(scope: Construct, id: string, props: MixpanelGlueCatalogProps) {
    super(scope, id);
    const tags = nonEmpty(props.tags);
    const describe = glueDescriptions(props.bucketName, props.database);
    if (props.createDatabase) {
      this.database = new GlueCatalogDatabase(this, "database", {
        name: props.database,
        description: describe.database,
        tags,
        lifecycle: { preventDestroy: props.preventDestroy ?? true },
      });
    }
    const managedPolicy = (policyId: string, name: string, description: string, document: PolicyDocument) =>
      new IamPolicy(this, policyId, { name, path: props.path, description, policy: renderPolicy(document), tags });
    const role = (roleId: string, roleName: string, description: string, trustPolicy: PolicyDocument, policyArns: Record<string, string>) =>
      new MixpanelAccessRole(this, roleId, {
        roleName, description, trustPolicy, policyArns,
        path: props.path, permissionsBoundaryArn: props.permissionsBoundaryArn, maxSessionDuration: props.maxSessionDuration, tags: props.tags,
      });

    const gluePolicy = managedPolicy("glue-policy", props.names.gluePolicyName, describe.gluePolicy(props.scopeToDatabase),
      glueAccessPolicy(props.scopeToDatabase ? { region: props.region, database: props.database } : "*"));
    this.glueRole = role("glue-role", props.names.glueRoleName, describe.glueRole, glueTrustPolicy(), { "glue-policy": gluePolicy.arn });

    if (props.redshiftRole) {
      const redshiftPolicy = managedPolicy("redshift-policy", props.names.redshiftPolicyName, describe.redshiftPolicy,
        redshiftAccessPolicy(props.bucketName));
      const kmsPolicy = props.customerKeyArn === undefined ? undefined : managedPolicy("redshift-kms-policy", props.names.redshiftKmsPolicyName,
        describe.redshiftKmsPolicy, redshiftKmsPolicy(props.customerKeyArn));
      this.redshiftRole = role("redshift-role", props.names.redshiftRoleName, describe.redshiftRole, redshiftTrustPolicy(), { "redshift-policy": redshiftPolicy.arn, ...(kmsPolicy ? { "redshift-kms-policy": kmsPolicy.arn } : {}) });
    }
  }
}
