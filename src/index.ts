/**
 * The package's public API (`mixpanel-s3-export`): the construct, its props and the types of its properties,
 * the constructs it is made of, the deployable stack, the pure policy builders, and prop validation with its
 * error. Everything else in src/ is internal: the review command's API is `mixpanel-s3-export/review`
 * (./review/index.ts); the registry-module builder and the settings reader are this repository's tools.
 * api/mixpanel-s3-export.api.md records this surface; `npm run api` regenerates it after a reviewed change.
 */

// The construct and its props.
export { MixpanelS3Export } from "./constructs/mixpanel-s3-export";
export { ADOPTABLE_RESOURCES, EVENT_STORAGE_CLASSES, EXISTING_BUCKET_MANAGEMENT } from "./config/props";
export type { AdoptedResource, EventStorageClass, ExistingBucketManagement, MixpanelProject, MixpanelS3ExportProps } from "./config/props";
export { ENCRYPTION_TYPES, MIXPANEL_SUPPORTED_REGIONS } from "./mixpanel";
export type { EncryptionType } from "./mixpanel";

// The constructs it is made of (its `exportBucket`, `roles` and `glueCatalog`).
export { ExportBucket } from "./constructs/export-bucket";
export type { BucketEncryption, ExportBucketProps } from "./constructs/export-bucket";
export { MixpanelAccessRole } from "./constructs/mixpanel-access-role";
export type { MixpanelAccessRoleProps } from "./constructs/mixpanel-access-role";
export { MixpanelGlueCatalog } from "./constructs/mixpanel-glue-catalog";
export type { MixpanelGlueCatalogProps } from "./constructs/mixpanel-glue-catalog";
export type { GlueNames } from "./config/export-plan";

// The deployable stack: the construct with its AWS provider and the outputs for Mixpanel's form.
export { MixpanelS3ExportStack } from "./stacks/mixpanel-s3-export-stack";

// Pure policy builders: the documents the constructs attach, for policies of your own.
export { policyDocument, renderPolicy } from "./policies/policy-document";
export type { PolicyDocument, PolicyStatement } from "./policies/policy-document";
export {
  dataAccessPolicy, kmsAccessPolicy, mixpanelTrustPolicy, prefixScopedDataAccessPolicy, tlsOnlyBucketPolicy, trustPolicyWithExternalId,
} from "./policies/mixpanel-policies";
export { glueAccessPolicy, glueTrustPolicy, redshiftAccessPolicy, redshiftKmsPolicy, redshiftTrustPolicy } from "./policies/glue-policies";
export type { GlueScope } from "./policies/glue-policies";
export { exportReaderPolicy } from "./policies/reader-policies";
export { bucketArn, glueCatalogArn, glueDatabaseArn, glueTablesArn, objectsArn } from "./policies/arns";

// Validation: what the construct checks at synth, and the error it throws.
export { validateProps } from "./rules/rules";
export { MixpanelSettingsError, formatProblem } from "./rules/problems";
export type { Audience, Problem } from "./rules/problems";
export type { RuleId } from "./rules/texts";
