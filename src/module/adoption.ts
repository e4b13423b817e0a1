import { EncryptionType, ENCRYPTION_TYPES } from "../mixpanel";
import { moduleAddressProblem } from "../rules/module-address";
import { PATTERNS } from "../rules/patterns";
import { RULES } from "../rules/texts";

/**
 * Import blocks that adopt a set-up made by hand into a call of the registry module. Before Terraform 1.16
 * import blocks may stand only in the root module, so `mixpanel-s3-export adopt` prints them for the user's
 * root; their targets are the module's own addresses (src/module/module-json.ts), instance keys included.
 */

/** The module's resources an adoption imports, at their addresses inside the module (a test checks them against the module). */
export const MODULE_ADOPTION_TARGETS = {
  bucket: "aws_s3_bucket.this[0]",
  encryption: "aws_s3_bucket_server_side_encryption_configuration.this[0]",
  publicAccessBlock: "aws_s3_bucket_public_access_block.this[0]",
  ownership: "aws_s3_bucket_ownership_controls.this[0]",
  /** Keyed by the module's role key: `shared`, or the project's token with per-project roles. */
  role: (key: string) => `aws_iam_role.this[${JSON.stringify(key)}]`,
} as const;

/** The module's key of its one shared role. */
export const SHARED_ROLE_KEY = "shared";

export interface ModuleAdoption {
  /** Address of the module call in the root, e.g. `module.mixpanel` or `module.mixpanel["prod"]`. */
  readonly moduleAddress: string;
  /** The bucket made by hand, adopted with the configuration S3 keeps for every bucket. */
  readonly bucket?: {
    readonly name: string;
    /** The module call's `encryption`: with NONE the module manages no default encryption, so none is imported. */
    readonly encryption: EncryptionType;
    /** The module call's `block_public_access` (the module's default: true). */
    readonly blockPublicAccess: boolean;
    /** The module call's `enforce_bucket_owner` (the module's default: true). */
    readonly enforceBucketOwner: boolean;
  };
  /** The roles made by hand: the shared role (key `shared`), or per-project roles keyed by project token. */
  readonly roles: readonly { readonly key: string; readonly name: string }[];
}

export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

/** Every problem with a request, each naming the flag, the value and the rule (empty when it is fine). */
export function adoptionProblems(adoption: ModuleAdoption): string[] {
  const problems: string[] = [];
  const address = moduleAddressProblem("--module", adoption.moduleAddress);
  if (address !== undefined) problems.push(address);
  if (adoption.bucket === undefined && adoption.roles.length === 0) {
    problems.push("nothing to adopt: give --bucket <name>, --role <name> (or --role <token>=<name> per project), or both");
  }
  if (adoption.bucket && !ENCRYPTION_TYPES.includes(adoption.bucket.encryption)) {
    problems.push(`--encryption ${adoption.bucket.encryption}: one of ${ENCRYPTION_TYPES.join(", ")}, as the module call's encryption`);
  }
  const shared = adoption.roles.filter((role) => role.key === SHARED_ROLE_KEY);
  if (shared.length > 0 && adoption.roles.length > 1) {
    problems.push("--role: either one shared role (--role <name>) or per-project roles (--role <token>=<name> for each), not both");
  }
  const keys = adoption.roles.map((role) => role.key);
  for (const key of new Set(keys.filter((key, i) => keys.indexOf(key) !== i))) {
    problems.push(`--role ${key}=...: each project token may be given once`);
  }
  for (const role of adoption.roles) {
    if (!PATTERNS.roleName.js.test(role.name)) {
      problems.push(`--role ${role.key === SHARED_ROLE_KEY ? "" : `${role.key}=`}${role.name}: ${RULES.roleName.rule}`);
    }
  }
  return problems;
}

/** The import blocks for an adoption (call {@link adoptionProblems} first). */
export function moduleImportBlocks(adoption: ModuleAdoption): ImportBlock[] {
  const at = (address: string) => `${adoption.moduleAddress}.${address}`;
  const blocks: ImportBlock[] = [];
  const bucket = adoption.bucket;
  if (bucket) {
    blocks.push({ to: at(MODULE_ADOPTION_TARGETS.bucket), id: bucket.name });
    if (bucket.encryption !== "NONE") blocks.push({ to: at(MODULE_ADOPTION_TARGETS.encryption), id: bucket.name });
    if (bucket.blockPublicAccess) blocks.push({ to: at(MODULE_ADOPTION_TARGETS.publicAccessBlock), id: bucket.name });
    if (bucket.enforceBucketOwner) blocks.push({ to: at(MODULE_ADOPTION_TARGETS.ownership), id: bucket.name });
  }
  for (const role of adoption.roles) blocks.push({ to: at(MODULE_ADOPTION_TARGETS.role(role.key)), id: role.name });
  return blocks;
}

/** The blocks as HCL, for a root module's `.tf` file. */
export function renderImportBlocks(blocks: readonly ImportBlock[]): string {
  return blocks.map((block) => `import {\n  to = ${block.to}\n  id = ${JSON.stringify(block.id)}\n}\n`).join("\n");
}
