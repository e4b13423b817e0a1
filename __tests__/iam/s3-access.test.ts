/**
 * What can the role do in S3? The four actions of Mixpanel's page where Mixpanel writes, nothing else, nowhere
 * else; with prefix scoping only under its project's folder; and never without TLS where the stack deploys
 * the TLS-only bucket policy. Requests are made by the role's session (as Mixpanel's exporter does after
 * AssumeRole) unless a row says "as the role ARN"; same-account, so the identity policy's Allow suffices and
 * the bucket policy can only take away (iam-simulate treats same-account S3 like AWS: identity OR resource
 * policy allows, any explicit Deny wins).
 */
import { DENY_INSECURE_TRANSPORT_SID } from "../../src/policies/permissions";
import {
  ACCOUNT_ID, CALLERS, EXPORT_BUCKET, IAM_VARIANTS, IamRequest, OTHER_BUCKET, RequestCase, bucketArnOf, eventKey,
  iamModel, objectArn, roleNamed, runCase, s3Request,
} from "../support/iam";
import { synthStack } from "../support/synth";

const OBJECT_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"] as const;
const FOUR_ACTIONS = ["s3:ListBucket", ...OBJECT_ACTIONS] as const;

/** Bucket-level actions the role must never have: each would let it weaken or destroy the bucket. */
const OTHER_BUCKET_ACTIONS = [
  "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration", "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock", "s3:PutBucketAcl",
] as const;
/** Object-level actions beyond the page's three. */
const OTHER_OBJECT_ACTIONS = ["s3:PutObjectAcl", "s3:GetObjectAcl", "s3:DeleteObjectVersion"] as const;

describe.each(IAM_VARIANTS)("S3, $name", (variant) => {
  const model = iamModel(synthStack(variant.props));
  const bucket = bucketArnOf(EXPORT_BUCKET);

  describe.each(variant.roles)("role $name", (expected) => {
    const role = roleNamed(model, expected.name);
    const [projectId] = expected.projectIds;
    const ownObject = objectArn(EXPORT_BUCKET, eventKey(projectId));
    /** Where each of the four actions applies: the bucket for ListBucket, an event file for the others. */
    const target = (action: string, bucketName = EXPORT_BUCKET): string =>
      action === "s3:ListBucket" ? bucketArnOf(bucketName) : objectArn(bucketName, eventKey(projectId));
    /** ListBucket as Mixpanel lists its folder: with the role's prefix when it is scoped to one. */
    const listPrefix = expected.prefix;
    const allowedRequest = (action: string, options: { as?: "role" | "session"; secureTransport?: boolean } = {}): IamRequest =>
      s3Request(model, role, action, target(action), { ...options, prefix: action === "s3:ListBucket" ? listPrefix : undefined });
    const where = (action: string) => (action === "s3:ListBucket" ? "the bucket" : "an event file of its project")
      + (action === "s3:ListBucket" && listPrefix ? ` (prefix ${listPrefix})` : "");

    const cases: RequestCase[] = [
      ...FOUR_ACTIONS.map((action): RequestCase => ({
        name: `${action} on ${where(action)}, with TLS`, request: allowedRequest(action), expected: "Allowed",
      })),
      ...FOUR_ACTIONS.map((action): RequestCase => ({
        name: `${action} on ${where(action)}, as the role ARN`, request: allowedRequest(action, { as: "role" }), expected: "Allowed",
      })),
      ...expected.projectIds.slice(1).map((id): RequestCase => ({
        name: `s3:PutObject on an event file of its project ${id}`,
        request: s3Request(model, role, "s3:PutObject", objectArn(EXPORT_BUCKET, eventKey(id))), expected: "Allowed",
      })),
      ...FOUR_ACTIONS.map((action): RequestCase => ({
        name: `${action} on another bucket of the account`,
        request: s3Request(model, role, action, target(action, OTHER_BUCKET), { prefix: action === "s3:ListBucket" ? listPrefix : undefined }),
        expected: "ImplicitlyDenied",
      })),
      ...OTHER_BUCKET_ACTIONS.map((action): RequestCase => ({
        name: `${action} on the bucket`, request: s3Request(model, role, action, bucket), expected: "ImplicitlyDenied",
      })),
      ...OTHER_OBJECT_ACTIONS.map((action): RequestCase => ({
        name: `${action} on an event file of its project`, request: s3Request(model, role, action, ownObject), expected: "ImplicitlyDenied",
      })),
      ...FOUR_ACTIONS.map((action): RequestCase => variant.tlsBucketPolicy
        ? {
          name: `${action} on ${where(action)}, without TLS: refused by the bucket policy`,
          request: allowedRequest(action, { secureTransport: false }),
          expected: "ExplicitlyDenied",
          options: { deniedBy: { policyType: "resource", statementId: DENY_INSECURE_TRANSPORT_SID } },
        }
        : {
          // The stack manages nothing on an existing bucket: refusing plain HTTP is up to the bucket's own policy.
          name: `${action} on ${where(action)}, without TLS: nothing this stack deploys refuses it`,
          request: allowedRequest(action, { secureTransport: false }),
          expected: "Allowed",
        }),
    ];

    if (expected.prefix !== undefined) {
      const prefix = expected.prefix;
      const otherIds = variant.roles.flatMap((r) => r.projectIds).filter((id) => !expected.projectIds.includes(id));
      cases.push(
        ...otherIds.flatMap((id) => OBJECT_ACTIONS.map((action): RequestCase => ({
          name: `${action} on an event file of another project (${id}/)`,
          request: s3Request(model, role, action, objectArn(EXPORT_BUCKET, eventKey(id))), expected: "ImplicitlyDenied",
        }))),
        ...OBJECT_ACTIONS.map((action): RequestCase => ({
          name: `${action} on an object at the bucket's root`,
          request: s3Request(model, role, action, objectArn(EXPORT_BUCKET, "x.json")), expected: "ImplicitlyDenied",
        })),
        {
          name: `s3:PutObject on a sibling folder sharing its digits (${projectId}0/)`,
          request: s3Request(model, role, "s3:PutObject", objectArn(EXPORT_BUCKET, eventKey(`${projectId}0`))), expected: "ImplicitlyDenied",
        },
        {
          name: `s3:ListBucket with prefix ${prefix}mp_master_event/ (inside)`,
          request: s3Request(model, role, "s3:ListBucket", bucket, { prefix: `${prefix}mp_master_event/` }), expected: "Allowed",
        },
        ...otherIds.map((id): RequestCase => ({
          name: `s3:ListBucket with another project's prefix ${id}/`,
          request: s3Request(model, role, "s3:ListBucket", bucket, { prefix: `${id}/` }), expected: "ImplicitlyDenied",
        })),
        {
          name: `s3:ListBucket with prefix ${projectId} (no slash: would also list ${projectId}0/)`,
          request: s3Request(model, role, "s3:ListBucket", bucket, { prefix: projectId }), expected: "ImplicitlyDenied",
        },
        {
          name: `s3:ListBucket with prefix ${projectId}0/ (a sibling folder sharing its digits)`,
          request: s3Request(model, role, "s3:ListBucket", bucket, { prefix: `${projectId}0/` }), expected: "ImplicitlyDenied",
        },
        {
          name: "s3:ListBucket with an empty prefix (the whole bucket)",
          request: s3Request(model, role, "s3:ListBucket", bucket, { prefix: "" }), expected: "ImplicitlyDenied",
        },
        {
          name: "s3:ListBucket without a prefix (the whole bucket)",
          request: s3Request(model, role, "s3:ListBucket", bucket), expected: "ImplicitlyDenied",
        },
      );
    } else {
      // Mixpanel's page grants the whole bucket: a role without prefix scoping reaches every project's folder.
      cases.push(
        {
          name: "s3:ListBucket without a prefix (the whole bucket)",
          request: s3Request(model, role, "s3:ListBucket", bucket), expected: "Allowed",
        },
        {
          name: "s3:PutObject on an object at the bucket's root (no prefix scoping: the whole bucket)",
          request: s3Request(model, role, "s3:PutObject", objectArn(EXPORT_BUCKET, "x.json")), expected: "Allowed",
        },
      );
    }
    test.each(cases)("$name: $expected", runCase);
  });

  describe("principals other than the role", () => {
    const eventFile = objectArn(EXPORT_BUCKET, eventKey(variant.roles[0].projectIds[0]));
    const wideOpen = { name: "s3-everything", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: "s3:*", Resource: "*" }] } };
    const request = (principal: IamRequest["principal"], action: string, withPolicy: boolean): IamRequest => ({
      principal, action, resource: eventFile, resourceAccount: ACCOUNT_ID,
      context: { "aws:SecureTransport": "true" },
      identityPolicies: withPolicy ? [wideOpen] : [],
      resourcePolicy: model.bucketPolicies[EXPORT_BUCKET],
    });
    const cases: RequestCase[] = [
      {
        name: "Mixpanel's export user directly, without assuming the role (its own policy allows s3:*)",
        request: request(CALLERS.mixpanel.principal, "s3:PutObject", true), expected: "ImplicitlyDenied",
      },
      {
        name: "a user of another account (its own policy allows s3:*)",
        request: request(CALLERS.otherAccountUser.principal, "s3:GetObject", true), expected: "ImplicitlyDenied",
      },
      { name: "an anonymous caller", request: request(CALLERS.anonymous.principal, "s3:GetObject", false), expected: "ImplicitlyDenied" },
    ];
    test.each(cases)("$name: $expected", runCase);
  });
});
