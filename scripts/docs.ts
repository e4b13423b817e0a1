// Rewrites the generated settings sections of README.md and help from src/settings/catalog.ts.
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { replaceBetweenMarkers, settingsMarkdown, settingsText } from "../src/docs/settings-docs";

const root = join(__dirname, "..");
for (const [file, body] of [["README.md", settingsMarkdown()], ["help", settingsText()]] as const) {
  const path = join(root, file);
  writeFileSync(path, replaceBetweenMarkers(readFileSync(path, "utf8"), body));
  console.log(`updated ${file}`);
}
