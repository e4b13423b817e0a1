// npm run build:module: writes the Terraform-registry module to dist/terraform-aws-mixpanel-s3-export/.
import { join } from "path";
import { MODULE_DIR_NAME, buildModule } from "../src/module/build-module";

const outDir = join(__dirname, "..", "dist", MODULE_DIR_NAME);
const files = buildModule(outDir);
console.log(`wrote ${files.length} files to ${outDir}`);
