/**
 * The CDK's names as messages and usage texts write them: the CLI (`cdktf synth`) and the AWS provider
 * bindings' package. Like ./core.ts and ./aws.ts, the one place that names them: `npm run pack:cdktn` renames
 * them here in the compiled code, so the CDK Terrain package speaks of `cdktn` and `@cdktn/provider-aws`.
 * Imports nothing, so the review command names the CDK without loading it.
 */

/** The CDK's command-line tool, which synthesizes an app into its output folder (`cdktf.out` by default). */
export const CDK_CLI = "cdktf";

/** The package of the AWS provider bindings (deep imports: `<CDK_AWS_PACKAGE>/lib/<resource>`). */
export const CDK_AWS_PACKAGE = "@cdktf/provider-aws";

/**
 * The app's config file, whose `context` the CLI hands to the app. The same in both packages: the cdktn CLI
 * (cdktn-cli 0.24) reads cdktf.json too and passes its context in CDKTF_CONTEXT_JSON, as cdktf's does.
 */
export const CDK_CONFIG_FILE = "cdktf.json";
