import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../mixpanel";
import { bucketArn, glueCatalogArn, glueDatabaseArn, glueTablesArn, objectsArn } from "./arns";
import {
  GLUE_ACCESS_SID,
  MIXPANEL_GLUE_ACTIONS,
  MIXPANEL_REDSHIFT_ACTIONS,
  MIXPANEL_REDSHIFT_GLUE_ACTIONS,
  MIXPANEL_REDSHIFT_S3_ACTIONS,
  REDSHIFT_ACCESS_SID,
  REDSHIFT_KMS_ACTIONS,
  REDSHIFT_KMS_SID,
  REDSHIFT_SERVICE_PRINCIPAL,
  S3_ACCESS_SID,
} from "./permissions";
import { PolicyDocument, policyDocument } from "./policy-document";

/**
 * Pure builders for the policies of Mixpanel's Redshift Spectrum page (the Glue catalog and the Redshift
 * role). Arguments may be cdktf string tokens or Terraform interpolations; nothing here reads them.
 */

/** Where the Glue role may act: one database and its tables (stricter than the page), or the page's `"*"`. */
export type GlueScope = { readonly region: string; readonly database: string } | "*";

/** The resources of a {@link GlueScope}: the catalog, the database and every table in it, or `"*"`. */
export function glueResources(scope: GlueScope): string | string[] {
  if (scope === "*") return "*";
  return [glueCatalogArn(scope.region), glueDatabaseArn(scope.region, scope.database), glueTablesArn(scope.region, scope.database)];
}

/** The page's Glue role policy: the 15 catalog actions, on the scope's resources. */
export function glueAccessPolicy(scope: GlueScope): PolicyDocument {
  return policyDocument({
    Sid: GLUE_ACCESS_SID,
    Effect: "Allow",
    Action: [...MIXPANEL_GLUE_ACTIONS],
    Resource: glueResources(scope),
  });
}

/**
 * The page's Glue role trust: Mixpanel's export user, `sts:AssumeRole`, no condition. The page writes
 * `"Condition": {}`; an empty condition block is no condition, so it is left out.
 */
export function glueTrustPolicy(): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { AWS: MIXPANEL_EXPORT_PRINCIPAL_ARN },
    Action: "sts:AssumeRole",
  });
}

/** The page's Redshift role policy, its three statements to the letter. */
export function redshiftAccessPolicy(bucketName: string): PolicyDocument {
  return policyDocument(
    { Sid: REDSHIFT_ACCESS_SID, Effect: "Allow", Action: [...MIXPANEL_REDSHIFT_ACTIONS], Resource: "*" },
    { Sid: GLUE_ACCESS_SID, Effect: "Allow", Action: [...MIXPANEL_REDSHIFT_GLUE_ACTIONS], Resource: "*" },
    { Sid: S3_ACCESS_SID, Effect: "Allow", Action: [...MIXPANEL_REDSHIFT_S3_ACTIONS], Resource: [bucketArn(bucketName), objectsArn(bucketName)] },
  );
}

/** What the Redshift role needs to read export files encrypted with a customer managed key: `kms:Decrypt` on it. */
export function redshiftKmsPolicy(keyArn: string): PolicyDocument {
  return policyDocument({ Sid: REDSHIFT_KMS_SID, Effect: "Allow", Action: [...REDSHIFT_KMS_ACTIONS], Resource: keyArn });
}

/** The page's Redshift role trust: Mixpanel's export user and the Redshift service, no condition. */
export function redshiftTrustPolicy(): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { AWS: MIXPANEL_EXPORT_PRINCIPAL_ARN, Service: REDSHIFT_SERVICE_PRINCIPAL },
    Action: "sts:AssumeRole",
  });
}
