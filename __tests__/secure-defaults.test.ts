import "./support/matchers";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { policyDocument } from "../src/policies/policy-document";
import { BUCKET, TOKEN, TOKEN_B, baseProps, onlyResource, policyOf, resourcesOf, synthStack } from "./support/synth";

const BUCKET_REF = /^\$\{aws_s3_bucket\.[\w-]+\.bucket\}$/;

describe("secure defaults of a created bucket", () => {
  const synthesized = synthStack(baseProps());

  test("S3 Block Public Access: all four settings on", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_public_access_block")).toEqual(expect.objectContaining({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      bucket: expect.stringMatching(BUCKET_REF),
    }));
  });

  test("Object Ownership BucketOwnerEnforced (ACLs disabled)", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("a bucket policy denies every request without TLS, for every principal, on the bucket and its objects", () => {
    const policy = onlyResource(synthesized, "aws_s3_bucket_policy");
    expect(policyOf(policy)).toEqual(policyDocument({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    }));
  });

  test("the TLS-only policy is applied after the public access block", () => {
    const [blockName] = Object.keys(resourcesOf(synthesized, "aws_s3_bucket_public_access_block"));
    expect(onlyResource(synthesized, "aws_s3_bucket_policy").depends_on).toEqual([`aws_s3_bucket_public_access_block.${blockName}`]);
  });

  test("incomplete multipart uploads are aborted after 7 days; nothing else expires", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([{
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    }]);
  });

  test("versioning and access logging are off", () => {
    expect(synthesized).not.toHaveResource(S3BucketVersioningA);
    expect(synthesized).not.toHaveResource(S3BucketLoggingA);
  });

  test("the bucket carries prevent_destroy and force_destroy false", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket")).toEqual(expect.objectContaining({
      force_destroy: false, lifecycle: { prevent_destroy: true },
    }));
  });

  test("a created KMS key carries prevent_destroy too", () => {
    const withKey = synthStack(baseProps({ encryption: "KMS", createKmsKey: true }));
    expect(onlyResource(withKey, "aws_kms_key").lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("each secure default can be turned off, and only by its own setting", () => {
  test("blockPublicAccess: false drops the public access block and nothing else", () => {
    const synthesized = synthStack(baseProps({ blockPublicAccess: false }));
    expect(synthesized).not.toHaveResource(S3BucketPublicAccessBlock);
    expect(synthesized).toHaveResource(S3BucketOwnershipControls);
    expect(onlyResource(synthesized, "aws_s3_bucket_policy")).not.toHaveProperty("depends_on");
  });

  test("enforceBucketOwner: false drops the ownership controls", () => {
    const synthesized = synthStack(baseProps({ enforceBucketOwner: false }));
    expect(synthesized).not.toHaveResource(S3BucketOwnershipControls);
    expect(synthesized).toHaveResource(S3BucketPolicy);
  });

  test("tlsOnly: false drops the bucket policy", () => {
    const synthesized = synthStack(baseProps({ tlsOnly: false }));
    expect(synthesized).not.toHaveResource(S3BucketPolicy);
    expect(synthesized).toHaveResource(S3BucketPublicAccessBlock);
  });

  test("bucketKey: false turns S3 Bucket Keys off with KMS", () => {
    const synthesized = synthStack(baseProps({ encryption: "KMS", bucketKey: false }));
    expect(onlyResource(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule)
      .toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: false }]);
  });

  test("preventDestroy: false lifts prevent_destroy from the bucket and the created key", () => {
    const synthesized = synthStack(baseProps({ encryption: "KMS", createKmsKey: true, preventDestroy: false }));
    expect(onlyResource(synthesized, "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: false });
    expect(onlyResource(synthesized, "aws_kms_key").lifecycle).toEqual({ prevent_destroy: false });
    expect(onlyResource(synthesized, "aws_s3_bucket").force_destroy).toBe(false);
  });

  test("abortIncompleteUploadsDays: 0 with nothing else leaves no lifecycle configuration", () => {
    expect(synthStack(baseProps({ abortIncompleteUploadsDays: 0 }))).not.toHaveResource(S3BucketLifecycleConfiguration);
  });

  test("an existing bucket gets none of them unless manageExistingBucket is all", () => {
    const synthesized = synthStack(baseProps({ createBucket: false }));
    for (const type of [S3BucketPublicAccessBlock, S3BucketOwnershipControls, S3BucketPolicy, S3BucketLifecycleConfiguration]) {
      expect(synthesized).not.toHaveResource(type);
    }
  });
});

describe("storage over time", () => {
  const projects = [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }];

  test("event files move and expire only under <project id>/mp_master_event/, never profiles or identities", () => {
    const synthesized = synthStack(baseProps({ projects, eventsTransitionDays: 90, eventsStorageClass: "GLACIER_IR", eventsExpirationDays: 730 }));
    const rules = onlyResource(synthesized, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[];
    expect(rules.filter((r) => String(r.id).startsWith("events-"))).toEqual(["1001", "2002"].map((id) => ({
      id: `events-${id}`,
      status: "Enabled",
      filter: [{ prefix: `${id}/mp_master_event/` }],
      transition: [{ days: 90, storage_class: "GLACIER_IR" }],
      expiration: [{ days: 730 }],
    })));
  });

  test("expiration alone adds no transition", () => {
    const synthesized = synthStack(baseProps({ projects, eventsExpirationDays: 365 }));
    const rules = onlyResource(synthesized, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[];
    expect(rules.find((r) => r.id === "events-1001")).toEqual({
      id: "events-1001", status: "Enabled", filter: [{ prefix: "1001/mp_master_event/" }], expiration: [{ days: 365 }],
    });
  });

  test("versioning: on, with noncurrent versions expiring (30 days by default), rules applied after versioning", () => {
    const synthesized = synthStack(baseProps({ versioning: true }));
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    const lifecycle = onlyResource(synthesized, "aws_s3_bucket_lifecycle_configuration");
    expect((lifecycle.rule as unknown[])[1]).toEqual({
      id: "expire-noncurrent-versions", status: "Enabled", filter: [{ prefix: "" }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
    const [versioningName] = Object.keys(resourcesOf(synthesized, "aws_s3_bucket_versioning"));
    expect(lifecycle.depends_on).toEqual([`aws_s3_bucket_versioning.${versioningName}`]);
  });

  test("access logging goes to the given bucket, under <bucket>/ by default", () => {
    const synthesized = synthStack(baseProps({ accessLogBucket: "acme-s3-access-logs" }));
    expect(onlyResource(synthesized, "aws_s3_bucket_logging")).toEqual(expect.objectContaining({
      target_bucket: "acme-s3-access-logs", target_prefix: `${BUCKET}/`,
    }));
  });
});
