/**
 * The library consumer tier's installs kept between runs (support/install-cache.ts), with a stand-in for
 * `npm install` that writes the packages it is given: when a kept install is reused, when it is made again,
 * and how it is copied into an app.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyInstalled, installCacheDir, installed } from "./support/install-cache";

const KEY = { dependencies: { cdktf: "0.21.0", constructs: "10.4.2" }, npm: "11.19.1" };

/** A stand-in for `npm install` in a folder: installs `packages` (default: the folder's dependencies) and counts its runs. */
function fakeNpm(packages?: Record<string, string>) {
  const fake = async (dir: string) => {
    fake.runs += 1;
    const wanted = packages ?? JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies;
    for (const [name, version] of Object.entries(wanted as Record<string, string>)) {
      fs.mkdirSync(path.join(dir, "node_modules", name, "lib"), { recursive: true });
      fs.writeFileSync(path.join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
      fs.writeFileSync(path.join(dir, "node_modules", name, "lib", "index.js"), `module.exports = "${name}";\n`);
    }
    fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), "{}");
    fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
    fs.symlinkSync("../cdktf/lib/index.js", path.join(dir, "node_modules", ".bin", "cdktf"));
  };
  fake.runs = 0;
  return fake;
}

let previous: string | undefined;
beforeEach(() => {
  previous = process.env.MIXPANEL_INSTALL_CACHE;
  process.env.MIXPANEL_INSTALL_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "install-cache-"));
});
afterEach(() => {
  fs.rmSync(installCacheDir(), { recursive: true, force: true });
  if (previous === undefined) delete process.env.MIXPANEL_INSTALL_CACHE;
  else process.env.MIXPANEL_INSTALL_CACHE = previous;
});

test("installs once per key, and later runs reuse the kept folder", async () => {
  const npm = fakeNpm();
  const first = await installed("cdktf-oldest", KEY, npm);
  expect(await installed("cdktf-oldest", KEY, npm)).toBe(first);
  expect(npm.runs).toBe(1);
  expect(fs.readdirSync(installCacheDir())).toEqual([path.basename(first)]);
});

test.each([
  ["a kept file changed", (folder: string) => fs.appendFileSync(path.join(folder, "node_modules", "cdktf", "lib", "index.js"), "// edited\n")],
  ["a file was added", (folder: string) => fs.writeFileSync(path.join(folder, "node_modules", "constructs", "extra.js"), "")],
  ["a file was removed", (folder: string) => fs.rmSync(path.join(folder, "node_modules", "constructs", "lib", "index.js"))],
  ["the listing, written last, is missing", (folder: string) => fs.rmSync(path.join(folder, "listing.json"))],
])("installs again where %s", async (_what, damage) => {
  const npm = fakeNpm();
  const folder = await installed("cdktf-oldest", KEY, npm);
  damage(folder);
  expect(await installed("cdktf-oldest", KEY, npm)).toBe(folder);
  expect(npm.runs).toBe(2);
  expect(fs.readFileSync(path.join(folder, "node_modules", "cdktf", "lib", "index.js"), "utf8")).toBe('module.exports = "cdktf";\n');
});

test("another npm or other versions install into a folder of their own, which replaces the flavour's old one", async () => {
  const npm = fakeNpm();
  const old = await installed("cdktf-oldest", KEY, npm);
  const other = await installed("cdktf-newest", KEY, npm);
  const newer = await installed("cdktf-oldest", { ...KEY, npm: "11.20.0" }, npm);
  const versions = await installed("cdktf-oldest", { ...KEY, dependencies: { ...KEY.dependencies, constructs: "10.8.1" } }, npm);
  expect(new Set([old, other, newer, versions]).size).toBe(4);
  expect(npm.runs).toBe(4);
  expect(fs.readdirSync(installCacheDir()).sort()).toEqual([path.basename(other), path.basename(versions)].sort());
});

test("refuses to keep an install holding a package its key does not name, whose version a range picked", async () => {
  const npm = fakeNpm({ ...KEY.dependencies, "source-map": "0.7.4" });
  await expect(installed("cdktf-oldest", KEY, npm)).rejects.toThrow(
    'the install of {"cdktf":"0.21.0","constructs":"10.4.2"} holds {"cdktf":"0.21.0","constructs":"10.4.2","source-map":"0.7.4"}: ' +
    "a package that a version range picks cannot be kept between runs, because its name and version do not decide it");
  expect(fs.readdirSync(installCacheDir())).toEqual([]);
});

test("copies into an app as hard links, keeping links, and npm's hidden lockfile as a file of the app's own", async () => {
  const folder = await installed("cdktf-oldest", KEY, fakeNpm());
  const app = path.join(installCacheDir(), "app", "node_modules");
  copyInstalled(folder, app);
  const inode = (root: string, file: string) => fs.statSync(path.join(root, file)).ino;
  const kept = path.join(folder, "node_modules");
  expect(inode(app, "cdktf/lib/index.js")).toBe(inode(kept, "cdktf/lib/index.js"));
  expect(inode(app, "constructs/package.json")).toBe(inode(kept, "constructs/package.json"));
  expect(inode(app, ".package-lock.json")).not.toBe(inode(kept, ".package-lock.json"));
  expect(fs.readFileSync(path.join(app, ".package-lock.json"), "utf8")).toBe("{}");
  expect(fs.readlinkSync(path.join(app, ".bin", "cdktf"))).toBe("../cdktf/lib/index.js");
});
