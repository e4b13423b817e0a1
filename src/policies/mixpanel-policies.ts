import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../mixpanel";
import { bucketArn, objectsArn } from "./arns";
import {
  DENY_INSECURE_TRANSPORT_SID,
  KMS_ACCESS_SID,
  MIXPANEL_KMS_ACTIONS,
  MIXPANEL_S3_ACTIONS,
  MIXPANEL_S3_BUCKET_ACTIONS,
  MIXPANEL_S3_OBJECT_ACTIONS,
  S3_ACCESS_SID,
  S3_PREFIX_LIST_SID,
  S3_PREFIX_OBJECT_SID,
} from "./permissions";
import { PolicyDocument, policyDocument } from "./policy-document";

/**
 * Pure builders for every policy this project writes. Arguments may be cdktf string tokens
 * (for example the ARN of a key created in the same plan); nothing here reads them.
 */

/** Step 1 of Mixpanel's page, to the letter: the four S3 actions on the bucket and all its objects. */
export function dataAccessPolicy(bucketName: string): PolicyDocument {
  return policyDocument({
    Sid: S3_ACCESS_SID,
    Effect: "Allow",
    Action: [...MIXPANEL_S3_ACTIONS],
    Resource: [bucketArn(bucketName), objectsArn(bucketName)],
  });
}

/**
 * A stricter variant of {@link dataAccessPolicy} for one project: object actions only under
 * `<bucket>/<prefix>*`, and listing only keys under that prefix. `keyPrefix` ends with `/`.
 */
export function prefixScopedDataAccessPolicy(bucketName: string, keyPrefix: string): PolicyDocument {
  return policyDocument(
    {
      Sid: S3_PREFIX_OBJECT_SID,
      Effect: "Allow",
      Action: [...MIXPANEL_S3_OBJECT_ACTIONS],
      Resource: objectsArn(bucketName, keyPrefix),
    },
    {
      Sid: S3_PREFIX_LIST_SID,
      Effect: "Allow",
      Action: [...MIXPANEL_S3_BUCKET_ACTIONS],
      Resource: bucketArn(bucketName),
      Condition: { StringLike: { "s3:prefix": [keyPrefix, `${keyPrefix}*`] } },
    },
  );
}

/** Step 2 of Mixpanel's page ("Using Custom Key"), to the letter: the seven KMS actions on one key. */
export function kmsAccessPolicy(keyArn: string): PolicyDocument {
  return policyDocument({
    Sid: KMS_ACCESS_SID,
    Effect: "Allow",
    Action: [...MIXPANEL_KMS_ACTIONS],
    Resource: keyArn,
  });
}

/**
 * Step 3 of Mixpanel's page: only Mixpanel's export user may assume the role, and only when it presents
 * one of the given project tokens as external ID. One token renders as a string, exactly as the page
 * shows it; several as a list (StringEquals matches any of them).
 */
export function mixpanelTrustPolicy(externalIds: readonly string[]): PolicyDocument {
  return trustPolicyWithExternalId(externalIds.length === 1 ? externalIds[0] : [...externalIds]);
}

/** {@link mixpanelTrustPolicy} for a condition value given as is (the Terraform module passes an expression). */
export function trustPolicyWithExternalId(externalId: string | readonly string[]): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { AWS: MIXPANEL_EXPORT_PRINCIPAL_ARN },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": externalId } },
  });
}

/** A bucket policy that refuses every request made without TLS, from any principal, to the bucket and its objects. */
export function tlsOnlyBucketPolicy(bucketName: string): PolicyDocument {
  return policyDocument({
    Sid: DENY_INSECURE_TRANSPORT_SID,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn(bucketName), objectsArn(bucketName)],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
}
