import { bucketArn, objectsArn } from "./arns";
import { PolicyDocument, PolicyStatement, policyDocument } from "./policy-document";

export const READ_LIST_SID = "ListMixpanelExports";
export const READ_OBJECTS_SID = "ReadMixpanelExports";
export const READ_DECRYPT_SID = "DecryptMixpanelExports";

/**
 * What `MixpanelS3Export.grantRead` gives one of the team's own roles (Athena, a Glue job, a Lambda): list
 * the bucket and read its objects, and decrypt them with the customer managed key that encrypts them. Read
 * only: no write, delete or ACL action, and nothing on other buckets or keys.
 */
export function exportReaderPolicy(bucketName: string, customerKeyArn?: string): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: READ_LIST_SID, Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn(bucketName) },
    { Sid: READ_OBJECTS_SID, Effect: "Allow", Action: "s3:GetObject", Resource: objectsArn(bucketName) },
  ];
  if (customerKeyArn !== undefined) statements.push({ Sid: READ_DECRYPT_SID, Effect: "Allow", Action: "kms:Decrypt", Resource: customerKeyArn });
  return policyDocument(...statements);
}
