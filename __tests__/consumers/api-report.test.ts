/**
 * The public API is a contract: api/*.api.md records it (api-extractor's report of each entry of the
 * `exports` map, made from the declarations the package ships), and this test fails while the code's API
 * differs from the record. After a deliberate change: `npm run api`, review `git diff api/`, commit it.
 * It reads the build the library consumer tier packs (scripts/build.js), so it belongs to that tier.
 */
import * as fs from "fs";
import * as path from "path";
import { API_ENTRIES, API_FOLDER, apiReports } from "../../scripts/api-report";
import { packedLibraries } from "../support/library-consumers";

const ROOT = path.join(__dirname, "..", "..");
/** Building and packing, shared with the rest of the tier; under load it takes a minute. */
const PACK_TIMEOUT_MS = 5 * 60 * 1000;

test("api/ holds the API report of each entry, as the code's declarations make it (else: npm run api, and review the diff)", async () => {
  await packedLibraries();
  const { reports, messages } = apiReports(path.join(ROOT, "dist"));
  expect(fs.readdirSync(API_FOLDER).sort()).toEqual(Object.keys(reports).sort());
  for (const [file, generated] of Object.entries(reports)) {
    const checkedIn = fs.readFileSync(path.join(API_FOLDER, file), "utf8");
    try {
      // Expected: the checked-in report; received: the code's. `+` lines are what the code adds.
      expect(generated).toBe(checkedIn);
    } catch (error) {
      throw new Error(`api/${file} is not the API of the code: the public API changed. Run \`npm run api\`, review the ` +
        `diff (git diff api/) and commit it with the change.\n\n${(error as Error).message}`);
    }
  }
  // Anything api-extractor reports besides the reports (their own warnings are in them).
  expect(messages).toEqual([]);
}, PACK_TIMEOUT_MS);

test("the reports cover exactly the code entries of package.json's exports map", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const entries = Object.entries(manifest.exports as Record<string, string | { types: string }>)
    .flatMap(([entry, target]) => (typeof target === "string" ? [] : [{ entry, declarations: path.posix.relative("dist", target.types) }]));
  expect(API_ENTRIES.map(({ entry, declarations }) => ({ entry, declarations }))).toEqual(entries);
});
