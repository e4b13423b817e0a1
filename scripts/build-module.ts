// npm run build:module: writes the Terraform-registry module to dist/terraform-aws-mixpanel-s3-export/, or to the
// folder given (`npm run build:module -- <folder>`). The build empties its folder first, so a given folder must be
// new, empty or an earlier build (it holds main.tf.json): anything else is refused before anything is removed.
import { existsSync, readdirSync } from "fs";
import { join, resolve } from "path";
import { MODULE_DIR_NAME, buildModule } from "../src/module/build-module";

const given = process.argv[2];
const outDir = given !== undefined ? resolve(given) : join(__dirname, "..", "dist", MODULE_DIR_NAME);
if (given !== undefined && existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, "main.tf.json"))) {
  console.error(`build:module: ${outDir} is not empty and holds no earlier module build (main.tf.json); ` +
    "the build empties its folder first, so give a new or empty folder");
  process.exit(2);
}
const files = buildModule(outDir);
console.log(`wrote ${files.length} files to ${outDir}`);
