import { MixpanelS3ExportProps } from "../src/config/props";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, addresses, baseProps, parse, synthStack } from "./support/synth";

/**
 * Adopting a set-up made by hand: the bucket and the role are imported (import blocks in the synthesized
 * JSON) at the addresses the stack gives them anyway, so adopting changes no address and creates nothing
 * that already exists.
 */
const ROLE_NAME = "mixpanel-export-handmade";
const adopting = (overrides: Partial<MixpanelS3ExportProps> = {}) =>
  baseProps({ adopt: ["bucket", "role"], roleName: ROLE_NAME, rolePath: "/vendors/", ...overrides });

/** The synthesized import blocks. */
function importsOf(synthesized: string): { id: string; to: string }[] {
  return ((parse(synthesized) as { import?: { id: string; to: string }[] }).import ?? []);
}

test("adopting the bucket and the role imports them and the bucket configuration S3 keeps for every bucket", () => {
  expect(importsOf(synthStack(adopting({ encryption: "AES" })))).toEqual([
    { to: "aws_s3_bucket.mixpanel_bucket_28015DEC", id: BUCKET },
    { to: "aws_s3_bucket_server_side_encryption_configuration.mixpanel_bucket_encryption_FBF9378B", id: BUCKET },
    { to: "aws_s3_bucket_public_access_block.mixpanel_bucket_public-access-block_FFC359E2", id: BUCKET },
    { to: "aws_s3_bucket_ownership_controls.mixpanel_bucket_ownership_02C7C8F8", id: BUCKET },
    { to: "aws_iam_role.mixpanel_role_F1BE2B07", id: ROLE_NAME },
  ]);
});

test("adopting changes no address: the same resources as a stack that creates everything", () => {
  for (const overrides of [{}, { encryption: "KMS" as const, kmsKeyArn: CUSTOMER_KEY_ARN }]) {
    expect(addresses(synthStack(adopting(overrides)))).toEqual(addresses(synthStack(baseProps({ roleName: ROLE_NAME, rolePath: "/vendors/", ...overrides }))));
  }
});

test("the adopted role keeps the name and path given, so its ARN stays what Mixpanel knows", () => {
  const role = Object.values(parse(synthStack(adopting())).resource!.aws_iam_role)[0];
  expect({ name: role.name, path: role.path }).toEqual({ name: ROLE_NAME, path: "/vendors/" });
});

test("with encryption NONE no encryption configuration is managed, so none is imported", () => {
  expect(importsOf(synthStack(adopting())).map((block) => block.to.split(".")[0])).toEqual([
    "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls", "aws_iam_role",
  ]);
});

test("only what is listed is adopted; security defaults turned off are neither managed nor imported", () => {
  expect(importsOf(synthStack(adopting({ adopt: ["role"] })))).toEqual([{ to: "aws_iam_role.mixpanel_role_F1BE2B07", id: ROLE_NAME }]);
  expect(importsOf(synthStack(adopting({ adopt: ["bucket"], blockPublicAccess: false, enforceBucketOwner: false })))).toEqual([
    { to: "aws_s3_bucket.mixpanel_bucket_28015DEC", id: BUCKET },
  ]);
  expect(importsOf(synthStack(baseProps()))).toEqual([]);
});

describe("per-project roles made by hand (construct only: each project's roleName)", () => {
  const projects = [{ token: TOKEN, projectId: "1001", roleName: "handmade-a" }, { token: TOKEN_B, projectId: "2002", roleName: "handmade-b" }];
  const perProject = (overrides: Partial<MixpanelS3ExportProps> = {}) => baseProps({ projects, rolePerProject: true, ...overrides });

  test("each project's role is imported by the name given for it, at the address keyed by its token", () => {
    const synthesized = synthStack(perProject({ adopt: ["role"] }));
    const roles = parse(synthesized).resource!.aws_iam_role;
    const byAddress = Object.fromEntries(Object.entries(roles).map(([name, role]) => [`aws_iam_role.${name}`, role.name]));
    expect(importsOf(synthesized).map(({ to, id }) => [id, byAddress[to]])).toEqual([["handmade-a", "handmade-a"], ["handmade-b", "handmade-b"]]);
  });

  test("naming the roles changes no address: the same resources as with derived names", () => {
    expect(addresses(synthStack(perProject({ adopt: ["role"] })))).toEqual(addresses(synthStack(baseProps({
      projects: projects.map(({ token, projectId }) => ({ token, ...(projectId ? { projectId } : {}) })), rolePerProject: true,
    }))));
  });

  test("a project without a name keeps its derived one", () => {
    const roles = parse(synthStack(perProject({ projects: [projects[0], { token: TOKEN_B, projectId: "2002" }] }))).resource!.aws_iam_role;
    expect(Object.values(roles).map((role) => role.name).sort()).toEqual(["handmade-a", "mixpanel-export-2002"]);
  });
});
