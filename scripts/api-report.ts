// npm run api: builds dist/ (npm run build), then rewrites the API reports in api/ from the declarations the
// package ships, one report per entry of package.json's `exports`:
//   api/mixpanel-s3-export.api.md   "mixpanel-s3-export"         (dist/src/index.d.ts)
//   api/review.api.md               "mixpanel-s3-export/review"  (dist/src/review/index.d.ts)
// Each report is api-extractor's: every exported name with its signature (doc comments left out), so a change
// to the public API shows up as a diff of these files in review. The package-contents test fails while a
// report differs from what the code would produce: run `npm run api`, read the diff, commit it.
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel, ExtractorMessage } from "@microsoft/api-extractor";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** Where the checked-in reports are. */
export const API_FOLDER = path.join(ROOT, "api");

/** Each entry of the package: its `exports` key, its declaration file (relative to dist/), its report. */
export const API_ENTRIES = [
  { entry: ".", declarations: "src/index.d.ts", report: "mixpanel-s3-export.api.md" },
  { entry: "./review", declarations: "src/review/index.d.ts", report: "review.api.md" },
] as const;

/** What api-extractor found besides the report: a message per line, e.g. a type the entry uses but does not export. */
export interface ApiReports {
  /** Each report's text, by file name (in API_FOLDER). */
  readonly reports: Readonly<Record<string, string>>;
  readonly messages: readonly string[];
}

/** api-extractor's configuration for one entry: its report only, into `temp`. */
function extractorConfig(distDir: string, declarations: string, report: string, temp: string): ExtractorConfig {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: path.join(distDir, declarations),
      // Only what resolving the declarations needs: their imports of cdktf, constructs and node's types.
      compiler: { overrideTsconfig: { compilerOptions: { target: "ES2022", module: "commonjs", lib: ["ES2022"], strict: true, types: ["node"] } } },
      apiReport: {
        enabled: true,
        reportFileName: report.replace(/\.api\.md$/, ""),
        // The report is compared or written by the caller: api-extractor writes into a temporary folder only.
        reportFolder: temp,
        reportTempFolder: temp,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // This project's doc comments are JSDoc (`@default - none`), not TSDoc; the report leaves them out anyway.
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        extractorMessageReporting: {
          // Written into the report (e.g. a type the entry uses but does not export), so review sees them.
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
          // Release tags (@public, @beta) are not used: everything an entry exports is public.
          "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
          // Doc comments are not part of the contract; many props' names say it all.
          "ae-undocumented": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          // {@link} targets are doc-comment prose (internal names included), not part of the API.
          "ae-unresolved-link": { logLevel: ExtractorLogLevel.None },
        },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(ROOT, "package.json"),
  });
}

/**
 * The API reports of the declarations in `distDir` (a build's dist/: `npm run build`, or the test tiers'
 * `build.js --no-check`, whose declarations are the same). Writes nothing into the project.
 */
export function apiReports(distDir: string): ApiReports {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-s3-export-api-"));
  const reports: Record<string, string> = {};
  const messages: string[] = [];
  try {
    const entries = API_ENTRIES.map((entry) => ({ ...entry, config: extractorConfig(distDir, entry.declarations, entry.report, temp) }));
    // One TypeScript program for both entries: building it (with cdktf's and the provider bindings'
    // declarations) is most of the time.
    const compilerState = CompilerState.create(entries[0].config, { additionalEntryPoints: entries.map((entry) => entry.config.mainEntryPointFilePath) });
    for (const { declarations, report, config } of entries) {
      const result = Extractor.invoke(config, {
        compilerState,
        localBuild: true,
        messageCallback: (message: ExtractorMessage) => {
          if (message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning) {
            const where = message.sourceFilePath ? ` (${path.relative(ROOT, message.sourceFilePath)})` : "";
            messages.push(`${report}: ${message.messageId}: ${message.text}${where}`);
          }
          message.handled = true;
        },
      });
      if (!result.succeeded) throw new Error(`api-extractor failed on ${declarations}:\n${messages.join("\n")}`);
      reports[report] = fs.readFileSync(path.join(temp, report), "utf8");
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return { reports, messages };
}

if (require.main === module) {
  const { reports, messages } = apiReports(path.join(ROOT, "dist"));
  fs.mkdirSync(API_FOLDER, { recursive: true });
  for (const [file, text] of Object.entries(reports)) {
    const target = path.join(API_FOLDER, file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    fs.writeFileSync(target, text);
    console.log(`${before === text ? "unchanged" : "updated"} api/${file}`);
  }
  for (const message of messages) console.warn(`warning: ${message}`);
}
