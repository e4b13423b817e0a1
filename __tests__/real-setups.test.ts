import "./support/matchers";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { policyDocument } from "../src/policies/policy-document";
import { pageDataModificationPolicy, pageKmsPolicy } from "./fixtures/mixpanel-page";
import {
  BUCKET, CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, TOKEN_C, baseProps, onlyResource, parse, policyOf, resourcesOf, synthStack,
} from "./support/synth";

const MIXPANEL = { AWS: "arn:aws:iam::485438090326:user/mixpanel-export" };
const THREE_PROJECTS = [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }, { token: TOKEN_C, projectId: "3003" }];

function roles(synthesized: string) {
  return Object.entries(resourcesOf(synthesized, "aws_iam_role"));
}

describe("an existing bucket (createBucket: false)", () => {
  const synthesized = synthStack(baseProps({ createBucket: false, encryption: "AES" }));

  test("creates no bucket and no bucket-level configuration", () => {
    const types = Object.keys(parse(synthesized).resource ?? {}).sort();
    expect(types).toEqual(["aws_iam_policy", "aws_iam_role", "aws_iam_role_policy_attachment"]);
  });

  test("the data policy names the bucket by the ARN derived from its name", () => {
    expect(policyOf(onlyResource(synthesized, "aws_iam_policy"))).toEqual(pageDataModificationPolicy(BUCKET));
  });

  test("the outputs still report bucket, region and the encryption the bucket uses", () => {
    const output = parse(synthesized).output!;
    expect([output.mixpanel_bucket.value, output.mixpanel_region.value, output.mixpanel_encryption.value])
      .toEqual([BUCKET, "us-east-1", "AES"]);
  });

  test("manageExistingBucket encryption manages only the bucket's default encryption", () => {
    const managed = synthStack(baseProps({ createBucket: false, manageExistingBucket: "encryption", encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }));
    expect(managed).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, { bucket: BUCKET });
    expect(managed).not.toHaveResource(S3Bucket);
    expect(managed).not.toHaveResource(S3BucketPolicy);
    expect(managed).not.toHaveResource(S3BucketPublicAccessBlock);
    expect(policyOf(Object.values(resourcesOf(managed, "aws_iam_policy")).find((p) => p.name === "mixpanel-export-kms")!))
      .toEqual(pageKmsPolicy(CUSTOMER_KEY_ARN));
  });

  test("manageExistingBucket all applies the security defaults and lifecycle, but never creates the bucket", () => {
    const managed = synthStack(baseProps({ createBucket: false, manageExistingBucket: "all" }));
    expect(managed).not.toHaveResource(S3Bucket);
    for (const type of [S3BucketPublicAccessBlock, S3BucketOwnershipControls, S3BucketPolicy, S3BucketLifecycleConfiguration]) {
      expect(managed).toHaveResourceWithProperties(type, { bucket: BUCKET });
    }
  });
});

describe("several projects, one shared role (the default)", () => {
  const synthesized = synthStack(baseProps({ projects: THREE_PROJECTS.map(({ token }) => ({ token })) }));

  test("one role whose single trust statement accepts any of the tokens", () => {
    expect(roles(synthesized)).toHaveLength(1);
    expect(policyOf(onlyResource(synthesized, "aws_iam_role"), "assume_role_policy")).toEqual(policyDocument({
      Effect: "Allow",
      Principal: MIXPANEL,
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": [TOKEN, TOKEN_B, TOKEN_C] } },
    }));
  });

  test("mixpanel_role_arns maps every token to the one role, and mixpanel_role_arn stays", () => {
    const [name] = roles(synthesized)[0];
    const arn = `\${aws_iam_role.${name}.arn}`;
    expect(parse(synthesized).output?.mixpanel_role_arns.value).toEqual({ [TOKEN]: arn, [TOKEN_B]: arn, [TOKEN_C]: arn });
    expect(parse(synthesized).output?.mixpanel_role_arn.value).toBe(arn);
  });
});

describe("one role per project (rolePerProject)", () => {
  const synthesized = synthStack(baseProps({ projects: THREE_PROJECTS, rolePerProject: true }));

  test("each role trusts only its own token", () => {
    const trusted = roles(synthesized).map(([, role]) => policyOf(role, "assume_role_policy").Statement[0].Condition?.StringEquals["sts:ExternalId"]);
    expect(trusted.sort()).toEqual([TOKEN, TOKEN_B, TOKEN_C].sort());
  });

  test("roles are named <role name>-<project id>", () => {
    expect(roles(synthesized).map(([, role]) => role.name).sort())
      .toEqual(["mixpanel-export-1001", "mixpanel-export-2002", "mixpanel-export-3003"]);
  });

  test("without prefix scoping all roles share Mixpanel's data policy, unchanged", () => {
    expect(policyOf(onlyResource(synthesized, "aws_iam_policy"))).toEqual(pageDataModificationPolicy(BUCKET));
    expect(Object.keys(resourcesOf(synthesized, "aws_iam_role_policy_attachment"))).toHaveLength(3);
  });

  test("mixpanel_role_arns maps each token to its own role; there is no single mixpanel_role_arn", () => {
    const byToken = parse(synthesized).output?.mixpanel_role_arns.value as Record<string, string>;
    for (const [name, role] of roles(synthesized)) {
      const token = policyOf(role, "assume_role_policy").Statement[0].Condition!.StringEquals["sts:ExternalId"] as string;
      expect(byToken[token]).toBe(`\${aws_iam_role.${name}.arn}`);
    }
    expect(Object.keys(byToken)).toHaveLength(3);
    expect(parse(synthesized).output).not.toHaveProperty("mixpanel_role_arn");
  });

  test("without project IDs, roles are named after the token", () => {
    const byToken = synthStack(baseProps({ projects: [{ token: TOKEN }, { token: TOKEN_B }], rolePerProject: true }));
    expect(roles(byToken).map(([, role]) => role.name).sort()).toEqual([`mixpanel-export-${TOKEN}`, `mixpanel-export-${TOKEN_B}`]);
  });
});

describe("prefix scoping (scopeToProjectPrefix), stricter than Mixpanel's page", () => {
  const synthesized = synthStack(baseProps({ projects: THREE_PROJECTS, rolePerProject: true, scopeToProjectPrefix: true }));

  test("each project's policy limits objects to <bucket>/<project id>/* and listing to that prefix", () => {
    const policies = Object.values(resourcesOf(synthesized, "aws_iam_policy"));
    expect(policies.map((p) => p.name).sort())
      .toEqual(["mixpanel-export-data-access-1001", "mixpanel-export-data-access-2002", "mixpanel-export-data-access-3003"]);
    const policy = policies.find((p) => p.name === "mixpanel-export-data-access-2002")!;
    expect(policyOf(policy)).toEqual(policyDocument(
      {
        Sid: "MixpanelS3PrefixObjectStatement",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
        Resource: `arn:aws:s3:::${BUCKET}/2002/*`,
      },
      {
        Sid: "MixpanelS3PrefixListStatement",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: `arn:aws:s3:::${BUCKET}`,
        Condition: { StringLike: { "s3:prefix": ["2002/", "2002/*"] } },
      },
    ));
  });

  test("each role has its own project's policy attached, and no other data policy", () => {
    const policyByName = Object.fromEntries(Object.entries(resourcesOf(synthesized, "aws_iam_policy")).map(([n, p]) => [n, p.name]));
    const roleByName = Object.fromEntries(roles(synthesized).map(([n, r]) => [n, r.name]));
    const attached = Object.values(resourcesOf(synthesized, "aws_iam_role_policy_attachment")).map((a) => [
      roleByName[/aws_iam_role\.([^.]+)\.name/.exec(a.role as string)![1]],
      policyByName[/aws_iam_policy\.([^.]+)\.arn/.exec(a.policy_arn as string)![1]],
    ]);
    expect(attached.sort()).toEqual([
      ["mixpanel-export-1001", "mixpanel-export-data-access-1001"],
      ["mixpanel-export-2002", "mixpanel-export-data-access-2002"],
      ["mixpanel-export-3003", "mixpanel-export-data-access-3003"],
    ]);
  });
});

describe("role and naming controls", () => {
  const tags = { team: "data", "cost-center": "42" };
  const synthesized = synthStack(baseProps({
    encryption: "KMS",
    createKmsKey: true,
    roleName: "vendor-mixpanel",
    rolePath: "/vendors/",
    permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/vendor-boundary",
    maxSessionDuration: 7200,
    namePrefix: "analytics-",
    tags,
  }));

  test("the role carries name, path, boundary, session duration and tags", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: "vendor-mixpanel",
      path: "/vendors/",
      permissions_boundary: "arn:aws:iam::111122223333:policy/vendor-boundary",
      max_session_duration: 7200,
      tags,
    });
  });

  test("the name prefix goes into every derived name; an explicit role name is kept as given", () => {
    expect(Object.values(resourcesOf(synthesized, "aws_iam_policy")).map((p) => [p.name, p.path]).sort())
      .toEqual([["analytics-mixpanel-export-data-access", "/vendors/"], ["analytics-mixpanel-export-kms", "/vendors/"]]);
    expect(onlyResource(synthesized, "aws_kms_alias").name).toBe("alias/analytics-mixpanel-export");
  });

  test("the name prefix also goes into the default role name", () => {
    expect(onlyResource(synthStack(baseProps({ namePrefix: "analytics-" })), "aws_iam_role").name).toBe("analytics-mixpanel-export");
  });

  test("tags go on every taggable resource", () => {
    const json = parse(synthesized).resource!;
    for (const type of ["aws_s3_bucket", "aws_iam_role", "aws_iam_policy", "aws_kms_key"]) {
      for (const resource of Object.values(json[type])) expect(resource.tags).toEqual(tags);
    }
  });

  test("AWS's own defaults when unset: path /, one hour, no boundary, no tags", () => {
    const role = onlyResource(synthStack(baseProps()), "aws_iam_role");
    expect([role.path, role.max_session_duration, role.permissions_boundary, role.tags]).toEqual(["/", 3600, undefined, undefined]);
  });
});
