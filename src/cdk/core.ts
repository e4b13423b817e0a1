/**
 * The one place that names the CDK core package. The code is written against cdktf; `npm run pack:cdktn`
 * builds the CDK Terrain package by renaming `cdktf` to `cdktn` here (and in ./aws.ts, and in ./names.ts, the
 * names messages use) in the compiled code, so no other file may import it.
 */
export {
  Annotations, App, Lazy, TerraformDataSource, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Token,
} from "cdktf";
