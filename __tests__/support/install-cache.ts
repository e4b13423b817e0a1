/**
 * Installs of the library consumer apps' CDK packages, kept between runs.
 *
 * Each app needs its own copy of a provider bindings package (400 MB, 7,000 files), and npm spends 9 to 15
 * CPU-seconds unpacking one from its cache: more than the whole tier may cost. So npm installs each set of
 * packages once, into a folder named by everything that decides that install, and every run gets a copy
 * made of hard links (a second), into which npm then installs the library from its tarball.
 *
 * What decides the install, and so names the folder: the exact versions of the packages (exact pins, and
 * `installPackages` refuses a set that brings in any other package, whose version a range would pick),
 * the npm and node versions, the platform and the architecture. A folder is complete once its listing
 * (every file's size and modification time) is written, the last step; a copy is made only from a folder
 * whose files still match that listing, so a folder that a run left half-made or that anything wrote into
 * is installed again.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Where the installs are kept: MIXPANEL_INSTALL_CACHE, which the jest globalSetup points at a folder in the
 * system's temporary folder (kept across runs, unlike the run's own); anything may delete it.
 */
export function installCacheDir(): string {
  return process.env.MIXPANEL_INSTALL_CACHE ?? path.join(os.tmpdir(), "mixpanel-s3-export-installs");
}

/** Bump when the folder's layout changes. */
const FORMAT = 1;
const LISTING = "listing.json";
/** A staging folder this old belongs to a run that was stopped: no install takes an hour. */
const STAGING_ABANDONED_MS = 60 * 60 * 1000;
/** npm's record of what it installed: rewritten by every install, so copied into each app, never linked. */
const HIDDEN_LOCKFILE = ".package-lock.json";

/** A file or a link below node_modules: its path, and its size and modification time or its target. */
type Entry = { readonly path: string; readonly size: number; readonly mtimeMs: number } | { readonly path: string; readonly link: string };

/** What decides an install of `dependencies` by this npm on this machine. */
interface InstallKey {
  readonly dependencies: Readonly<Record<string, string>>;
  readonly npm: string;
}

/** Every file and link below `dir`, depth first, folders left out (they follow from the paths). */
function list(dir: string, prefix = ""): Entry[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry): Entry[] => {
    const relative = path.join(prefix, entry.name);
    const full = path.join(dir, relative);
    if (entry.isDirectory()) return list(dir, relative);
    if (entry.isSymbolicLink()) return [{ path: relative, link: fs.readlinkSync(full) }];
    const { size, mtimeMs } = fs.statSync(full);
    return [{ path: relative, size, mtimeMs }];
  });
}

/** Whether `folder` holds a complete install whose files still match its listing. */
function intact(folder: string): boolean {
  let listing: Entry[];
  try {
    listing = JSON.parse(fs.readFileSync(path.join(folder, LISTING), "utf8"));
    return JSON.stringify(list(path.join(folder, "node_modules"))) === JSON.stringify(listing);
  } catch {
    return false;
  }
}

/**
 * Installs `dependencies` (exact versions) into `folder` with `npm install` (a command runner, so npm runs
 * as the tier runs everything), then checks that npm installed those packages and nothing else.
 */
async function install(folder: string, key: InstallKey, npmInstall: (dir: string) => Promise<unknown>): Promise<void> {
  fs.writeFileSync(path.join(folder, "package.json"), `${JSON.stringify({ name: "cached-install", private: true, dependencies: key.dependencies }, null, 2)}\n`);
  await npmInstall(folder);
  const nodeModules = path.join(folder, "node_modules");
  const installed = fs.readdirSync(nodeModules).filter((name) => !name.startsWith("."))
    .flatMap((name) => name.startsWith("@") ? fs.readdirSync(path.join(nodeModules, name)).map((scoped) => `${name}/${scoped}`) : [name])
    .map((name) => [name, JSON.parse(fs.readFileSync(path.join(nodeModules, name, "package.json"), "utf8")).version as string]);
  if (JSON.stringify(Object.fromEntries(installed.sort())) !== JSON.stringify(Object.fromEntries(Object.entries(key.dependencies).sort()))) {
    throw new Error(`the install of ${JSON.stringify(key.dependencies)} holds ${JSON.stringify(Object.fromEntries(installed))}: ` +
      "a package that a version range picks cannot be kept between runs, because its name and version do not decide it");
  }
}

/**
 * A folder holding `node_modules/` with `dependencies` installed, made by `npmInstall` where no intact one is
 * kept for this key. Folders of the same `name` with another key (an older npm, other versions) are removed,
 * and so is this key's folder where it is not intact.
 */
export async function installed(name: string, key: InstallKey, npmInstall: (dir: string) => Promise<unknown>): Promise<string> {
  const cache = installCacheDir();
  const hash = crypto.createHash("sha256")
    .update(JSON.stringify({ format: FORMAT, ...key, node: process.version, platform: process.platform, arch: process.arch }))
    .digest("hex").slice(0, 16);
  const folder = path.join(cache, `${name}-${hash}`);
  if (intact(folder)) return folder;
  fs.mkdirSync(cache, { recursive: true });
  const keptFolder = new RegExp(`^${name}-[0-9a-f]{16}$`);
  for (const other of fs.readdirSync(cache)) {
    const abandoned = other.startsWith(`.staging-${name}-`) && Date.now() - fs.statSync(path.join(cache, other)).mtimeMs > STAGING_ABANDONED_MS;
    if (keptFolder.test(other) || abandoned) fs.rmSync(path.join(cache, other), { recursive: true, force: true });
  }
  const staging = fs.mkdtempSync(path.join(cache, `.staging-${name}-`));
  try {
    await install(staging, key, npmInstall);
    fs.writeFileSync(path.join(staging, LISTING), JSON.stringify(list(path.join(staging, "node_modules"))));
    // Another run may have finished the same folder meanwhile; then its copy is as good as this one.
    try {
      fs.renameSync(staging, folder);
    } catch (error) {
      if (!intact(folder)) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return folder;
}

/**
 * Copies `folder`'s node_modules (see {@link installed}) to `target` as hard links, so the copy costs no
 * space and almost no time; npm's hidden lockfile is copied instead, since npm rewrites it in place. Where
 * `target` is on another file system, files are copied.
 */
export function copyInstalled(folder: string, target: string): void {
  const source = path.join(folder, "node_modules");
  const listing: Entry[] = JSON.parse(fs.readFileSync(path.join(folder, LISTING), "utf8"));
  const made = new Set<string>();
  for (const entry of listing) {
    const to = path.join(target, entry.path);
    const parent = path.dirname(to);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    if ("link" in entry) {
      fs.symlinkSync(entry.link, to);
    } else if (entry.path === HIDDEN_LOCKFILE) {
      fs.copyFileSync(path.join(source, entry.path), to);
    } else {
      try {
        fs.linkSync(path.join(source, entry.path), to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
        fs.copyFileSync(path.join(source, entry.path), to);
      }
    }
  }
}
