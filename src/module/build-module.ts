import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { MODULE_EXAMPLES, exampleMainTf } from "./examples";
import { moduleFiles } from "./module-json";
import { moduleReadme } from "./module-readme";
import { upgradingMarkdown } from "./upgrading";

/** Where `npm run build:module` writes the module, relative to the project root. */
export const MODULE_DIR_NAME = "terraform-aws-mixpanel-s3-export";

/** The hand-written `terraform test` files shipped with the module. */
export const TFTEST_SOURCE_DIR = join(__dirname, "tftest");

/**
 * Writes the module in the registry's standard structure: the module as *.tf.json at the top, README.md,
 * UPGRADING.md, examples/<name>/main.tf and tests/*.tftest.hcl. Replaces whatever was in `outDir`. Returns the files written.
 */
export function buildModule(outDir: string): string[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(join(outDir, path, ".."), { recursive: true });
    writeFileSync(join(outDir, path), text);
    written.push(path);
  };
  for (const [file, content] of Object.entries(moduleFiles())) write(file, `${JSON.stringify(content, null, 2)}\n`);
  write("README.md", moduleReadme());
  write("UPGRADING.md", upgradingMarkdown());
  for (const example of MODULE_EXAMPLES) write(`examples/${example.name}/main.tf`, exampleMainTf(example));
  mkdirSync(join(outDir, "tests"), { recursive: true });
  for (const file of readdirSync(TFTEST_SOURCE_DIR).filter((f) => f.endsWith(".tftest.hcl"))) {
    cpSync(join(TFTEST_SOURCE_DIR, file), join(outDir, "tests", file));
    written.push(`tests/${file}`);
  }
  return written;
}
