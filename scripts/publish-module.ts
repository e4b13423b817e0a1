// Exports the built module into a checkout of the registry repository and tags the release:
//   npm run build:module && npm run publish:module -- <path to terraform-aws-mixpanel-s3-export checkout> v1.2.3
// Then push from that checkout: git push --follow-tags. (It needs that repository, so it never runs in CI.)
import { execFileSync } from "child_process";
import { join } from "path";
import { MODULE_DIR_NAME } from "../src/module/build-module";
import { SEMVER_TAG, exportModule } from "../src/module/publish";

const [targetDir, tag] = process.argv.slice(2);
if (!targetDir || !tag || !SEMVER_TAG.test(tag)) {
  console.error("usage: npm run publish:module -- <registry repository checkout> <tag like v1.2.3>");
  process.exit(2);
}
const git = (...args: string[]) => execFileSync("git", ["-C", targetDir, ...args], { stdio: "inherit" });

exportModule(join(__dirname, "..", "dist", MODULE_DIR_NAME), targetDir);
git("add", "--all");
git("commit", "--message", `Release ${tag}`);
git("tag", "--annotate", tag, "--message", `terraform-aws-mixpanel-s3-export ${tag}`);
console.log(`tagged ${tag} in ${targetDir}; push with: git -C ${targetDir} push --follow-tags`);
