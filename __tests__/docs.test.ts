import { readFileSync } from "fs";
import { join } from "path";
import { replaceBetweenMarkers, settingsMarkdown, settingsText } from "../src/docs/settings-docs";
import { SETTINGS } from "../src/settings/catalog";

const root = join(__dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

test("README's settings table is generated from the settings catalog (run `npm run docs` when this fails)", () => {
  const readme = read("README.md");
  expect(readme).toBe(replaceBetweenMarkers(readme, settingsMarkdown()));
});

test("help's settings section is generated from the settings catalog (run `npm run docs` when this fails)", () => {
  const help = read("help");
  expect(help).toBe(replaceBetweenMarkers(help, settingsText()));
});

test("every setting is documented in README and help with its default and an example", () => {
  const readme = read("README.md");
  const help = read("help");
  for (const setting of SETTINGS) {
    expect(readme).toContain(`| \`${setting.env}\` | \`${setting.prop}\` |`);
    expect(help).toContain(`  ${setting.env}  (prop ${setting.prop})`);
    expect(help).toContain(`example: ${setting.env}=`);
  }
});

test("every setting in cdktf.json's context is a known setting", () => {
  const context = JSON.parse(read("cdktf.json")).context as Record<string, unknown>;
  const known = new Set(SETTINGS.map((s) => s.env));
  expect(Object.keys(context).filter((key) => !known.has(key))).toEqual([]);
});

test("README gives the two commands a newcomer runs", () => {
  expect(read("README.md")).toContain("npm ci && npm run synth");
  expect(read("README.md")).toContain("npm test");
});

test(".ci/run runs the README's test command", () => {
  expect(read(".ci/run")).toMatch(/^npm test$/m);
});
