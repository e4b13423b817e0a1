/**
 * What may a role of the team's own do once `grantRead` lets it read the exports? List the bucket, read its
 * objects, decrypt them with the export's own key; nothing else, nowhere else. The role is a Lambda's, as a
 * team would make one; its session makes the requests, same-account, with the TLS-only bucket policy.
 */
import { Testing, TerraformStack } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MixpanelS3Export } from "../../src/constructs/mixpanel-s3-export";
import {
  ACCOUNT_ID, CREATED_KEY_ID, OTHER_BUCKET, OTHER_KEY_ID, RequestCase, bucketArnOf, defaultKeyPolicy, eventKey, iamModel, keyArn,
  kmsRequest, objectArn, roleNamed, runCase, s3Request,
} from "../support/iam";
import { TOKEN } from "../support/synth";

const BUCKET = "acme-mixpanel-export";
const REGION = "us-east-1";

function readerStack(): string {
  const stack = new TerraformStack(Testing.app(), "reader");
  new AwsProvider(stack, "aws", { region: REGION });
  const exported = new MixpanelS3Export(stack, "mixpanel", { projects: [{ token: TOKEN, projectId: "1001" }], bucketName: BUCKET, encryption: "KMS", createKmsKey: true });
  const reader = new IamRole(stack, "reader", {
    name: "analytics-reader",
    assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
  });
  exported.grantRead(reader);
  return Testing.synth(stack);
}

const model = iamModel(readerStack());
const role = roleNamed(model, "analytics-reader");
const ownObject = objectArn(BUCKET, eventKey("1001"));
const ownKey = keyArn(REGION, CREATED_KEY_ID);

const cases: RequestCase[] = [
  { name: "s3:ListBucket on the export bucket", request: s3Request(model, role, "s3:ListBucket", bucketArnOf(BUCKET)), expected: "Allowed" },
  { name: "s3:GetObject on an export file", request: s3Request(model, role, "s3:GetObject", ownObject), expected: "Allowed" },
  { name: "s3:GetObject without TLS", request: s3Request(model, role, "s3:GetObject", ownObject, { secureTransport: false }), expected: "ExplicitlyDenied" },
  ...["s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl", "s3:DeleteObjectVersion"].map((action): RequestCase => ({
    name: `${action} on an export file`, request: s3Request(model, role, action, ownObject), expected: "ImplicitlyDenied",
  })),
  ...["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration"].map((action): RequestCase => ({
    name: `${action} on the export bucket`, request: s3Request(model, role, action, bucketArnOf(BUCKET)), expected: "ImplicitlyDenied",
  })),
  { name: "s3:GetObject in another bucket", request: s3Request(model, role, "s3:GetObject", objectArn(OTHER_BUCKET, "x.json")), expected: "ImplicitlyDenied" },
  { name: "s3:ListBucket on another bucket", request: s3Request(model, role, "s3:ListBucket", bucketArnOf(OTHER_BUCKET)), expected: "ImplicitlyDenied" },
  { name: "kms:Decrypt with the export's key", request: kmsRequest(role, "kms:Decrypt", ownKey, defaultKeyPolicy()), expected: "Allowed" },
  ...["kms:Encrypt", "kms:GenerateDataKey", "kms:ScheduleKeyDeletion"].map((action): RequestCase => ({
    name: `${action} with the export's key`, request: kmsRequest(role, action, ownKey, defaultKeyPolicy()), expected: "ImplicitlyDenied",
  })),
  { name: "kms:Decrypt with another key of the account", request: kmsRequest(role, "kms:Decrypt", keyArn(REGION, OTHER_KEY_ID), defaultKeyPolicy()), expected: "ImplicitlyDenied" },
];

test("the granted role is the team's own, in the account", () => {
  expect(role.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/analytics-reader`);
  expect(role.identityPolicies.map((policy) => policy.name)).toEqual(["mixpanel-export-read"]);
});

test.each(cases)("$name", runCase);
