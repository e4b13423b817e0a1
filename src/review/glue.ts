import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../mixpanel";
import {
  MIXPANEL_GLUE_ACTIONS, MIXPANEL_REDSHIFT_ACTIONS, MIXPANEL_REDSHIFT_GLUE_ACTIONS, MIXPANEL_REDSHIFT_S3_ACTIONS,
  REDSHIFT_KMS_ACTIONS, REDSHIFT_SERVICE_PRINCIPAL,
} from "../policies/permissions";
import { RoleModel } from "./model";
import { code } from "./text";

/**
 * Mixpanel's Glue and Redshift roles (its Redshift Spectrum page) in the review: their trust names no external
 * ID, which is Mixpanel's documented set-up, so the report says so instead of flagging it as it would on the S3
 * role. A role counts as one of them when it allows Glue actions and nothing beyond the page's Glue and
 * Redshift permissions (no S3 write, no other service), and only Mixpanel's export user or Redshift may assume it.
 */
const CATALOG_ROLE_ACTIONS: ReadonlySet<string> = new Set([
  ...MIXPANEL_GLUE_ACTIONS, ...MIXPANEL_REDSHIFT_ACTIONS, ...MIXPANEL_REDSHIFT_GLUE_ACTIONS, ...MIXPANEL_REDSHIFT_S3_ACTIONS, ...REDSHIFT_KMS_ACTIONS,
]);
const CATALOG_ROLE_PRINCIPALS: ReadonlySet<string> = new Set([`AWS:${MIXPANEL_EXPORT_PRINCIPAL_ARN}`, `Service:${REDSHIFT_SERVICE_PRINCIPAL}`]);

export function isMixpanelCatalogRole(role: RoleModel): boolean {
  const allows = role.grants.filter((grant) => grant.effect === "Allow");
  return role.managedHere && allows.some((grant) => grant.action.startsWith("glue:")) &&
    allows.every((grant) => CATALOG_ROLE_ACTIONS.has(grant.action)) && role.opaquePolicies.length === 0 &&
    role.trust.length > 0 && role.trust.every((entry) => CATALOG_ROLE_PRINCIPALS.has(entry.principal));
}

/**
 * What a role the review lists is to Mixpanel's form: one of its Glue or Redshift roles (the Redshift role is
 * the one Redshift may assume, or with Redshift permissions), a role whose trust cannot be read (`unknown`:
 * known only after apply, so whether it is Mixpanel's cannot be told), or else a role for Mixpanel's S3 export.
 */
export function roleKind(role: RoleModel): "export" | "glue" | "redshift" | "unknown" {
  if (role.trustOpaque !== undefined) return "unknown";
  if (!isMixpanelCatalogRole(role)) return "export";
  const redshift = role.trust.some((entry) => entry.principal === `Service:${REDSHIFT_SERVICE_PRINCIPAL}`) ||
    role.grants.some((grant) => grant.action.startsWith("redshift"));
  return redshift ? "redshift" : "glue";
}

/** The External ID cell of such a role's trust row without one. */
export const NO_EXTERNAL_ID_AS_DOCUMENTED = "none: Mixpanel's documented set-up for its Glue and Redshift roles";

/** The note under the trust table when the stack has such roles. */
export function catalogRolesNote(roles: readonly RoleModel[]): string | undefined {
  const names = roles.filter(isMixpanelCatalogRole).map((role) => code(role.name));
  if (names.length === 0) return undefined;
  return `${names.join(" and ")}: Mixpanel's Glue and Redshift roles (Redshift Spectrum). Their trust requires no external ID: ` +
    "that is Mixpanel's documented set-up for these roles (its Redshift Spectrum page), not an omission. " +
    "They may only keep or read Mixpanel's tables in the Glue catalog and read the export files; they cannot write to the bucket.";
}

/** A trust principal of such a role, in words. */
export function catalogPrincipalText(principal: string): string | undefined {
  return principal === `Service:${REDSHIFT_SERVICE_PRINCIPAL}` ? `the Redshift service ${code(REDSHIFT_SERVICE_PRINCIPAL)} (Mixpanel's Redshift role)` : undefined;
}

const GLUE_ARN = /^arn:aws:glue:([^:]+):([^:]+):(catalog|database\/(.+)|table\/([^/]+)\/(.+))$/;

/** What a Glue Data Catalog ARN reaches, in words; undefined for other ARNs. */
export function glueScopeOf(resource: string): string | undefined {
  const match = GLUE_ARN.exec(resource);
  if (!match) return undefined;
  const [, region, account, what, database, tableDatabase, table] = match;
  const where = `${region}${account === "*" ? "" : `, account ${account}`}`;
  if (what === "catalog") return `the Glue catalog (${where})`;
  if (database !== undefined) return `the Glue database ${code(database)} (${where})`;
  return table === "*" ? `every table of Glue database ${code(tableDatabase)}` : `Glue table ${code(`${tableDatabase}.${table}`)}`;
}
