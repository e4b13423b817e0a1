// Settings a CI pipeline passes through the environment, each `string | undefined` as process.env gives it,
// handed straight to the export's optional props. The app's tsconfig turns on exactOptionalPropertyTypes, so
// this compiles only because the library types its optional props `?: T | undefined`.
import { Construct } from "constructs";
import { MixpanelS3Export } from "MIXPANEL_LIBRARY";

export function exportFromEnvironment(scope: Construct, id: string, env: NodeJS.ProcessEnv = process.env): MixpanelS3Export {
  return new MixpanelS3Export(scope, id, {
    projects: [{ token: env.MIXPANEL_PROJECT_TOKEN ?? "0123456789abcdef0123456789abcdef", projectId: env.MIXPANEL_PROJECT_ID }],
    bucketName: env.EXPORT_BUCKET ?? "acme-analytics-ci",
    region: env.EXPORT_REGION,
    encryption: env.KMS_KEY_ARN === undefined ? "AES" : "KMS",
    kmsKeyArn: env.KMS_KEY_ARN,
    namePrefix: env.NAME_PREFIX,
    roleName: env.ROLE_NAME,
    rolePath: env.ROLE_PATH,
    permissionsBoundaryArn: env.PERMISSIONS_BOUNDARY_ARN,
    accessLogBucket: env.ACCESS_LOG_BUCKET,
    glueDatabase: env.GLUE_DATABASE,
  });
}
