import * as fs from "fs";
import * as path from "path";
import { App } from "./src/cdk/core";
import { MixpanelSettingsError, printWarnings } from "./src/rules/problems";
import { appContext, loadSettings } from "./src/settings/load-settings";
import { MixpanelS3ExportStack } from "./src/stacks/mixpanel-s3-export-stack";

// Settings are read and checked before `new App()`, which creates the output folder: bad input writes nothing.
// cdktf.json's context comes from `cdktf synth`, or from the file when the app runs by itself (`npm run synth`).
let context: Record<string, unknown>;
try {
  context = appContext(process.env, path.join(__dirname, "cdktf.json"));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const { props, problems } = loadSettings({ env: process.env, context });
printWarnings(problems);
const errors = problems.filter((problem) => problem.severity === "error");
if (errors.length > 0) {
  console.error(new MixpanelSettingsError(errors, "settings").message);
  process.exit(1);
}

// `cdktf synth --output` makes the output folder's parents; the App makes only the folder itself.
if (process.env.CDKTF_OUTDIR) fs.mkdirSync(path.dirname(path.resolve(process.env.CDKTF_OUTDIR)), { recursive: true });
const app = new App();
new MixpanelS3ExportStack(app, "mixpanel-s3-export", props);
app.synth();
