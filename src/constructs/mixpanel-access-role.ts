import { IamRole, IamRolePolicyAttachment } from "../cdk/aws";
import { Construct } from "constructs";
import { mixpanelTrustPolicy } from "../policies/mixpanel-policies";
import { PolicyDocument, renderPolicy } from "../policies/policy-document";
import { nonEmpty } from "./tags";

export interface MixpanelAccessRoleProps {
  /** Name of the role. */
  readonly roleName: string;
  /**
   * Project tokens Mixpanel may present as external ID (at least one, unless `trustPolicy` is given).
   * @default - none; `trustPolicy` is required then
   */
  readonly externalIds?: readonly string[] | undefined;
  /**
   * Who may assume the role, when it is not Mixpanel's export user with an external ID (the Glue and
   * Redshift roles of Mixpanel's Redshift Spectrum page trust it without one).
   * @default - Mixpanel's export user, with one of `externalIds` as external ID
   */
  readonly trustPolicy?: PolicyDocument | undefined;
  /** ARNs of the managed policies attached to the role, keyed by a stable ID (part of each attachment's address). */
  readonly policyArns: Readonly<Record<string, string>>;
  /** Human-readable purpose, shown in the IAM console. */
  readonly description: string;
  /**
   * IAM path.
   * @default "/"
   */
  readonly path?: string | undefined;
  /**
   * Permissions boundary policy ARN.
   * @default - no permissions boundary
   */
  readonly permissionsBoundaryArn?: string | undefined;
  /**
   * Maximum session duration in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number | undefined;
  /**
   * Tags of the role.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>> | undefined;
  /**
   * Import the role named `roleName` (made by hand) instead of creating it: it keeps its name, path and ARN.
   * Policies attached to it by hand stay attached; this construct only adds its own attachments.
   * @default false
   */
  readonly adopt?: boolean | undefined;
}

/**
 * Step 3 of Mixpanel's page: a role that only Mixpanel's export user can assume, and only with one of the
 * given project tokens as external ID, with the managed policies attached (as the console steps do). With
 * `trustPolicy`, the same role with another trust (Mixpanel's Glue and Redshift roles).
 */
export class MixpanelAccessRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MixpanelAccessRoleProps) {
    super(scope, id);
    const trust = props.trustPolicy ?? (props.externalIds && props.externalIds.length > 0 ? mixpanelTrustPolicy(props.externalIds) : undefined);
    if (!trust) throw new Error(`MixpanelAccessRole ${id}: give externalIds (at least one) or a trustPolicy`);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      path: props.path,
      description: props.description,
      assumeRolePolicy: renderPolicy(trust),
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: props.maxSessionDuration,
      tags: nonEmpty(props.tags),
    });
    if (props.adopt) this.role.importFrom(props.roleName);
    for (const [policyId, policyArn] of Object.entries(props.policyArns)) {
      new IamRolePolicyAttachment(this, `attach-${policyId}`, { role: this.role.name, policyArn });
    }
  }
}
