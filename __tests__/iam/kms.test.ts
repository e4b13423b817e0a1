/**
 * What can the role do with KMS? The seven actions of Mixpanel's page on its key and on no other; nothing
 * at all when the bucket is not encrypted with a customer key. Keys carry AWS's default key policy (it
 * delegates to the account's IAM: the stack's created key has it, and the customer's key must have it or
 * an equivalent), so a denial is the role's identity policies' doing.
 */
import { MIXPANEL_KMS_ACTIONS } from "../../src/policies/permissions";
import { CUSTOMER_KEY_ARN, synthStack } from "../support/synth";
import {
  ACCOUNT_ID, AWS_S3_KEY_ID, IAM_VARIANTS, OTHER_KEY_ID, RequestCase, awsManagedS3KeyPolicy, defaultKeyPolicy, iamModel,
  keyArn, kmsRequest, roleNamed, runCase,
} from "../support/iam";

/** Key-management actions the role must never have. */
const KEY_ADMIN_ACTIONS = ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:CreateGrant"] as const;

/** A key policy that names one administrator role and does not delegate to the account's IAM policies. */
const KEY_POLICY_WITHOUT_IAM = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow" as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/key-admin` }, Action: "kms:*", Resource: "*" }],
};

describe.each(IAM_VARIANTS)("KMS, $name", (variant) => {
  const model = iamModel(synthStack(variant.props));
  const region = model.region;
  const otherKey = keyArn(region, OTHER_KEY_ID);
  const awsS3Key = keyArn(region, AWS_S3_KEY_ID);
  const ownKey = variant.key === "customer" ? CUSTOMER_KEY_ARN : variant.key === "created" ? model.createdKeyArn : undefined;

  test(variant.key === "created" ? "the stack creates a key" : "the stack creates no key", () => {
    expect(model.createdKeyArn !== undefined).toBe(variant.key === "created");
  });

  describe.each(variant.roles)("role $name", (expected) => {
    const role = roleNamed(model, expected.name);
    const cases: RequestCase[] = [];

    if (ownKey !== undefined) {
      const [, , , , , keyResource] = ownKey.split(":");
      cases.push(
        ...MIXPANEL_KMS_ACTIONS.map((action): RequestCase => ({
          name: `${action} on its key`, request: kmsRequest(role, action, ownKey, defaultKeyPolicy()), expected: "Allowed",
        })),
        ...MIXPANEL_KMS_ACTIONS.map((action): RequestCase => ({
          name: `${action} on another key of the account`, request: kmsRequest(role, action, otherKey, defaultKeyPolicy()), expected: "ImplicitlyDenied",
        })),
        {
          name: "kms:Decrypt on a key with the same key ID in another region",
          request: kmsRequest(role, "kms:Decrypt", `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:${keyResource}`, defaultKeyPolicy()),
          expected: "ImplicitlyDenied",
        },
        {
          // What MIXPANEL.md warns of: IAM policies on a key work only while its key policy delegates to IAM.
          name: "kms:Decrypt on its key, were its key policy not to delegate to the account's IAM",
          request: kmsRequest(role, "kms:Decrypt", ownKey, KEY_POLICY_WITHOUT_IAM), expected: "ImplicitlyDenied",
        },
        ...KEY_ADMIN_ACTIONS.map((action): RequestCase => ({
          name: `${action} on its key`, request: kmsRequest(role, action, ownKey, defaultKeyPolicy()), expected: "ImplicitlyDenied",
        })),
      );
    } else {
      cases.push(
        ...MIXPANEL_KMS_ACTIONS.map((action): RequestCase => ({
          name: `${action} on a customer key of the account`,
          request: kmsRequest(role, action, CUSTOMER_KEY_ARN, defaultKeyPolicy()), expected: "ImplicitlyDenied",
        })),
        ...MIXPANEL_KMS_ACTIONS.map((action): RequestCase => ({
          name: `${action} on the aws/s3 key, called directly`,
          request: kmsRequest(role, action, awsS3Key, awsManagedS3KeyPolicy(region), { "kms:CallerAccount": ACCOUNT_ID }),
          expected: "ImplicitlyDenied",
        })),
      );
    }
    if (variant.awsManagedKey) {
      // Why Mixpanel's page asks for no KMS policy with the aws/s3 key: its own key policy lets any principal
      // of the account use it through S3. Nothing of ours grants it.
      const viaS3 = { "kms:CallerAccount": ACCOUNT_ID, "kms:ViaService": `s3.${region}.amazonaws.com` };
      cases.push(
        ...(["kms:GenerateDataKey", "kms:Decrypt"] as const).map((action): RequestCase => ({
          name: `${action} on the aws/s3 key through S3 (granted by the aws/s3 key policy itself)`,
          request: kmsRequest(role, action, awsS3Key, awsManagedS3KeyPolicy(region), viaS3), expected: "Allowed",
        })),
      );
    }
    test.each(cases)("$name: $expected", runCase);
  });
});
