import { AwsProvider, DataAwsRegion, IamPolicy, IamRole, IamRolePolicy, KmsAlias, KmsKey, S3Bucket } from "../cdk/aws";
import { Annotations, Lazy, TerraformDataSource, TerraformResource, TerraformStack, Token, makeUniqueId } from "../cdk/core";
import { Construct } from "constructs";
import { providerRegionExpression } from "../config/aws-provider";
import { ExportPlan, NameClaim, RolePlan, claimedNames, planExport, scopedDataPolicyName } from "../config/export-plan";
import { MixpanelS3ExportProps, ResolvedProps, withDefaults } from "../config/props";
import { EncryptionType } from "../mixpanel";
import { bucketArn } from "../policies/arns";
import { dataAccessPolicy, kmsAccessPolicy, prefixScopedDataAccessPolicy } from "../policies/mixpanel-policies";
import { PolicyDocument, renderPolicy } from "../policies/policy-document";
import { exportReaderPolicy } from "../policies/reader-policies";
import { MixpanelSettingsError, Problem, error, formatProblem } from "../rules/problems";
import { glueRegionProblems, validateProps } from "../rules/rules";
import { CONSTRUCT_RULES, PLAN_RULES, RuleText, ruleAndFix } from "../rules/texts";
import { BucketEncryption, ExportBucket } from "./export-bucket";
import { MixpanelAccessRole } from "./mixpanel-access-role";
import { MixpanelGlueCatalog } from "./mixpanel-glue-catalog";
import { nonEmpty } from "./tags";

export type { MixpanelS3ExportProps } from "../config/props";

/**
 * Mixpanel's "AWS S3" page as one construct: the bucket (or an existing one), the data-modification
 * policy, optional SSE-S3 or SSE-KMS with the KMS policy, and the cross-account role(s) Mixpanel assumes.
 * Its readonly properties are what Mixpanel's pipeline form asks for ("Step 4"), and handles for the team's
 * own constructs (`bucketName` and `bucketArn` as references, the roles and policies, {@link grantRead}).
 *
 * Props are validated in the constructor: every problem is listed in one {@link MixpanelSettingsError}, and
 * warnings are cdktf Annotations of the construct. So are clashes with the app's other exports: two exports
 * whose bucket, roles, policies, KMS alias or Glue database would have the same name fail here, not half-way
 * through an apply. Where the region is a Terraform value, a `data "aws_region"` (no API call) with a
 * postcondition refuses a provider configured for another region at plan.
 */
export class MixpanelS3Export extends Construct {
  /**
   * Mixpanel form "Bucket". A reference to the created bucket (resources built from it order after it), or
   * the given name of an existing bucket.
   */
  readonly bucketName: string;
  /** The bucket's ARN: a reference to the created bucket, or built from the given name of an existing one. */
  readonly bucketArn: string;
  /** Mixpanel form "Region": the given region, else the provider's. */
  readonly region: string;
  /** Mixpanel form "Role" when there is one role; undefined with several per-project roles. */
  readonly roleArn?: string | undefined;
  /** The role ARN to enter in Mixpanel for each project, by project token. */
  readonly roleArns: Readonly<Record<string, string>>;
  /** Mixpanel form "Encryption": NONE, AES or KMS. */
  readonly encryption: EncryptionType;
  /** Mixpanel form "KMS Key ID": the customer key's ARN, or "" for none or the aws/s3 key. */
  readonly kmsKeyId: string;
  /** The bucket and its configuration. */
  readonly exportBucket: ExportBucket;
  /** The created bucket; undefined for an existing one (`createBucket: false`). */
  readonly bucket?: S3Bucket | undefined;
  /** The KMS key, when the construct creates one. */
  readonly kmsKey?: KmsKey | undefined;
  /** The roles Mixpanel assumes, by construct ID. */
  readonly roles: readonly MixpanelAccessRole[];
  /** The role Mixpanel assumes, when there is one; undefined with several per-project roles. */
  readonly role?: IamRole | undefined;
  /** The data-modification policies of the roles: the shared one, or one per prefix-scoped role. */
  readonly dataPolicies: readonly IamPolicy[];
  /** The KMS policy of the roles, with a customer managed key. */
  readonly kmsPolicy?: IamPolicy | undefined;
  /** Mixpanel form, Glue "Database"; undefined without `glueDatabase`. */
  readonly glueDatabase?: string | undefined;
  /** Mixpanel form, Glue "Region" (the bucket's); undefined without `glueDatabase`. */
  readonly glueRegion?: string | undefined;
  /** Mixpanel form, Glue "Role"; undefined without `glueDatabase`. */
  readonly glueRoleArn?: string | undefined;
  /** Mixpanel form, Redshift "Role"; undefined without `redshiftRole`. */
  readonly redshiftRoleArn?: string | undefined;
  /** The Glue database and the Glue and Redshift roles, with `glueDatabase`. */
  readonly glueCatalog?: MixpanelGlueCatalog | undefined;

  /** Which account the export's provider reaches (see {@link providerScope}), for grants to other roles. */
  private readonly accountScope: string;
  /** The roles granted read access, each once. */
  private readonly readers = new Set<IamRole>();
  private readonly props: ResolvedProps;
  private readonly customerKeyArn: string | undefined;

  constructor(scope: Construct, id: string, props: MixpanelS3ExportProps) {
    super(scope, id);
    const given: Partial<MixpanelS3ExportProps> = props ?? {};
    const provider = given.provider ?? defaultAwsProvider(this);
    const providerProblems = checkProvider(this, given.provider);
    const providerRegion = providerProblems.length === 0 ? configuredRegion(provider?.region) : undefined;
    // The bucket's region: as given, else the provider's; where the provider names none, the region it is
    // configured with at plan, read by a data source made once the props are known to be good.
    let regionData: DataAwsRegion | undefined;
    const region = given.region !== undefined ? given.region : providerRegion
      ?? (providerProblems.length === 0 ? Lazy.stringValue({ produce: () => `\${${providerRegionExpression(regionData!.fqn)}}` }) : undefined);
    const resolvedProps = { ...given, region } as MixpanelS3ExportProps;

    // A provider that is refused leaves the region unknown: no second problem about a missing region.
    const propProblems = validateProps(resolvedProps).filter((problem) => providerProblems.length === 0 || problem.id !== "regionRequired");
    const problems = [...providerProblems, ...propProblems, ...regionProblems(given.region, providerRegion, resolvedProps)];
    this.annotateWarnings(problems);
    throwIfErrors(problems);
    const p = withDefaults(resolvedProps);
    const plan = planExport(p);
    this.props = p;
    this.accountScope = providerScope(this, provider, "account");
    const claims = claimedNames(p, plan).map((claim) => ({ ...claim, where: claim.scope === "global" ? "aws" : providerScope(this, provider, claim.scope) }));
    throwIfErrors(clashes(this, claims));
    // Claimed only once this export is made: one refused does not clash with the next.
    CLAIMS.set(this, claims);
    if (given.region === undefined && providerRegion === undefined) regionData = new DataAwsRegion(this, "provider-region");

    const tags = nonEmpty(p.tags);
    if (given.region !== undefined) this.checkProviderRegion(p.region);

    if (plan.keyChoice === "created") {
      this.kmsKey = new KmsKey(this, "kms-key", {
        description: `Encrypts Mixpanel exports in S3 bucket ${p.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        // No key policy argument: AWS's default key policy delegates to the account's IAM, which is what
        // lets the IAM policy below grant Mixpanel's role the use of the key.
        tags,
        lifecycle: { preventDestroy: p.preventDestroy },
      });
      new KmsAlias(this, "kms-alias", { name: plan.kmsAliasName, targetKeyId: this.kmsKey.keyId });
    }
    const customerKeyArn = plan.keyChoice === "created" ? this.kmsKey!.arn
      : plan.keyChoice === "customer" ? p.kmsKeyArn : undefined;
    this.customerKeyArn = customerKeyArn;
    this.exportBucket = new ExportBucket(this, "bucket", {
      bucketName: p.bucketName,
      create: p.createBucket,
      adopt: p.adopt.includes("bucket"),
      encryption: plan.manageEncryption ? bucketEncryption(plan, customerKeyArn, p.bucketKey) : undefined,
      manageConfig: plan.manageBucketConfig,
      blockPublicAccess: p.blockPublicAccess,
      enforceBucketOwner: p.enforceBucketOwner,
      tlsOnly: p.tlsOnly,
      preventDestroy: p.preventDestroy,
      abortIncompleteUploadsDays: p.abortIncompleteUploadsDays,
      projectIds: p.projects.flatMap((project) => (project.projectId ? [project.projectId] : [])),
      eventsTransition: p.eventsTransitionDays !== undefined
        ? { days: p.eventsTransitionDays, storageClass: p.eventsStorageClass } : undefined,
      eventsExpirationDays: p.eventsExpirationDays,
      noncurrentVersionExpirationDays: p.versioning ? p.noncurrentVersionExpirationDays : undefined,
      accessLog: p.accessLogBucket ? { bucket: p.accessLogBucket, prefix: p.accessLogPrefix } : undefined,
      tags: p.tags,
    });

    const managedPolicy = (policyId: string, name: string, description: string, document: PolicyDocument) =>
      new IamPolicy(this, policyId, { name, path: p.rolePath, description, policy: renderPolicy(document), tags });

    const kmsPolicy = customerKeyArn === undefined ? undefined : managedPolicy("kms-policy", plan.kmsPolicyName,
      `Lets Mixpanel's export role use the KMS key of S3 bucket ${p.bucketName} (Mixpanel AWS S3 export, step 2)`,
      kmsAccessPolicy(customerKeyArn));
    const sharedDataPolicy = plan.roles.some((role) => role.keyPrefix === undefined)
      ? managedPolicy("data-policy", plan.dataPolicyName,
        `Lets Mixpanel's export role write exports to S3 bucket ${p.bucketName} (Mixpanel AWS S3 export, step 1)`,
        dataAccessPolicy(p.bucketName))
      : undefined;

    const dataPolicies: IamPolicy[] = [];
    this.roles = plan.roles.map((role) => {
      const dataPolicy = role.keyPrefix === undefined ? sharedDataPolicy! : managedPolicy(
        `data-policy-${role.key}`, scopedDataPolicyName(plan, role),
        `Lets Mixpanel's export role for project ${role.projects[0].projectId} write under ${role.keyPrefix} in S3 bucket ${p.bucketName}`,
        prefixScopedDataAccessPolicy(p.bucketName, role.keyPrefix));
      dataPolicies.push(dataPolicy);
      const accessRole = new MixpanelAccessRole(this, role.id, {
        roleName: role.name,
        externalIds: role.projects.map((project) => project.token),
        description: roleDescription(p, role),
        path: p.rolePath,
        permissionsBoundaryArn: p.permissionsBoundaryArn,
        maxSessionDuration: p.maxSessionDuration,
        tags: p.tags,
        adopt: p.adopt.includes("role"),
        policyArns: { "data-policy": dataPolicy.arn, ...(kmsPolicy ? { "kms-policy": kmsPolicy.arn } : {}) },
      });
      // Releases before 0.2.0 named a per-project role by its token even where the token was a Terraform
      // value (`role-${TfToken[...]}`): moved blocks carry such roles and their attachments over. (With prefix
      // scoping those releases could not synthesize such a token at all.)
      if (role.key !== undefined && Token.isUnresolved(role.projects[0].token)) movedFromConstructId(accessRole, `role-${role.projects[0].token}`);
      return accessRole;
    });

    if (plan.glue) {
      this.glueCatalog = new MixpanelGlueCatalog(this, "glue", {
        database: plan.glue.database,
        createDatabase: plan.glue.createDatabase,
        scopeToDatabase: plan.glue.scopeToDatabase,
        redshiftRole: plan.glue.redshiftRole,
        region: p.region,
        bucketName: p.bucketName,
        customerKeyArn,
        names: plan.glue.names,
        path: p.rolePath,
        permissionsBoundaryArn: p.permissionsBoundaryArn,
        maxSessionDuration: p.maxSessionDuration,
        preventDestroy: p.preventDestroy,
        tags: p.tags,
      });
      this.glueDatabase = plan.glue.database;
      this.glueRegion = p.region;
      this.glueRoleArn = this.glueCatalog.glueRole.role.arn;
      this.redshiftRoleArn = this.glueCatalog.redshiftRole?.role.arn;
    }

    this.bucket = this.exportBucket.bucket;
    this.bucketName = this.bucket?.bucket ?? p.bucketName;
    this.bucketArn = this.bucket?.arn ?? bucketArn(p.bucketName);
    this.region = p.region;
    this.encryption = p.encryption;
    this.kmsKeyId = customerKeyArn ?? "";
    this.roleArns = Object.fromEntries(plan.roles.flatMap((role, i) =>
      role.projects.map((project) => [project.token, this.roles[i].role.arn])));
    this.roleArn = this.roles.length === 1 ? this.roles[0].role.arn : undefined;
    this.role = this.roles.length === 1 ? this.roles[0].role : undefined;
    this.dataPolicies = [...new Set(dataPolicies)];
    this.kmsPolicy = kmsPolicy;
    if (given.provider) useProvider(this, given.provider);
  }

  /**
   * Lets one of the team's own roles (Athena, a Glue job, a Lambda) read the exports: `s3:ListBucket` on the
   * bucket, `s3:GetObject` on its objects and, with a customer managed key, `kms:Decrypt` on that key; nothing
   * else. One inline policy on that role, named `<namePrefix>mixpanel-export-read`, made under this construct
   * (ID `read-<id>`) on the role's provider; `review` lists it with the rest.
   * @param id names the grant's resource; give one when two granted roles have the same construct ID
   * @default id - the role's construct ID
   */
  grantRead(role: IamRole, id?: string): IamRolePolicy {
    const problem = (text: RuleText, value: unknown) => new MixpanelSettingsError([error("grantRead(role)", value, text.rule, text.fix)]);
    if (!(role instanceof IamRole) || TerraformStack.of(role) !== TerraformStack.of(this)) {
      throw problem(CONSTRUCT_RULES.grantReadRole, role instanceof Construct ? role.node.path : role);
    }
    if (this.readers.has(role)) throw problem(CONSTRUCT_RULES.grantReadAgain, role.node.path);
    // A role of another account would need the bucket's and the key's policies to grant it as well.
    if (providerScope(this, role.provider as AwsProvider | undefined ?? defaultAwsProvider(this), "account") !== this.accountScope) {
      throw problem(CONSTRUCT_RULES.grantReadOtherAccount, role.node.path);
    }
    const grantId = id ?? role.node.id;
    if (this.node.tryFindChild(`read-${grantId}`)) throw problem(CONSTRUCT_RULES.grantReadTwice(grantId), role.node.path);
    const grant = new IamRolePolicy(this, `read-${grantId}`, {
      name: `${this.props.namePrefix}mixpanel-export-read`,
      role: role.name,
      policy: renderPolicy(exportReaderPolicy(this.props.bucketName, this.customerKeyArn)),
    });
    if (role.provider) grant.provider = role.provider;
    this.readers.add(role);
    return grant;
  }

  /** Warnings as cdktf Annotations on this construct (shown by `cdktf synth`), each once. */
  private annotateWarnings(problems: readonly Problem[]): void {
    const lines = new Set(problems.filter((problem) => problem.severity === "warning").map((problem) => formatProblem(problem)));
    for (const line of lines) Annotations.of(this).addWarning(`mixpanel-s3-export: ${line}`);
  }


  /** Fails the plan when the provider's region is not `region`, in the module's words (PLAN_RULES.regionProvider). */
  private checkProviderRegion(region: string): void {
    const provider = providerRegionExpression("self");
    const text = PLAN_RULES.regionProvider(region, `\${${provider}}`);
    new DataAwsRegion(this, "provider-region", {
      lifecycle: {
        // A region that is a Terraform value stands in the condition as its expression (cdktf unwraps it).
        postcondition: [{ condition: `\${${provider} == ${Token.isUnresolved(region) ? region : JSON.stringify(region)}}`, errorMessage: `region: ${ruleAndFix(text.rule, text.fix)}.` }],
      },
    });
  }
}

/** A name this export makes, with the scope in which AWS keeps that name unique (see {@link providerScope}). */
interface ScopedClaim extends NameClaim {
  readonly where: string;
}

/** The names each export of the app makes, which no other export may make (see {@link claimedNames}). */
const CLAIMS = new WeakMap<MixpanelS3Export, readonly ScopedClaim[]>();
const claimsOf = (exported: MixpanelS3Export): readonly ScopedClaim[] => CLAIMS.get(exported) ?? [];

/** The names of `claims` that another export of the app already makes, in the same scope. */
function clashes(self: MixpanelS3Export, claims: readonly ScopedClaim[]): Problem[] {
  const others = self.node.root.node.findAll().filter((c): c is MixpanelS3Export => c instanceof MixpanelS3Export && c !== self);
  // IAM names are unique in an account ignoring case; the others as written.
  const same = (a: ScopedClaim, b: ScopedClaim) => a.kind === b.kind && a.where === b.where &&
    (a.kind.startsWith("IAM") ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name);
  return claims.flatMap((claim) => others.flatMap((other) => claimsOf(other).filter((theirs) => same(theirs, claim)).map((theirs) => {
    const text = CONSTRUCT_RULES.nameClash(claim.kind, theirs.name, other.node.path, self.node.path, claim.fix);
    return error(claim.prop, claim.value, text.rule, text.fix);
  })));
}

/**
 * Where a name must be unique: bucket names in all of AWS; IAM names in the account, told apart by the
 * provider's configuration without its alias and region (two providers that differ only in region reach the
 * same account's IAM); KMS aliases and Glue databases in the account's region, by the configuration without
 * its alias. Providers whose configuration differs otherwise (profile, assumed role) may reach other accounts,
 * and so are not compared; an export without an AWS provider is compared within its stack.
 */
function providerScope(scope: Construct, provider: AwsProvider | undefined, what: "account" | "region"): string {
  if (provider === undefined) return `stack ${TerraformStack.of(scope).node.path}`;
  const config = { ...(provider.toTerraform() as { provider: { aws: Record<string, unknown>[] } }).provider.aws[0] };
  delete config.alias;
  if (what === "account") delete config.region;
  return stableJson(config);
}

/** JSON with every object's keys sorted, at every depth: equal configurations give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The stack's default AWS provider (the one without an alias), where there is one. */
function defaultAwsProvider(scope: Construct): AwsProvider | undefined {
  return TerraformStack.of(scope).node.findAll()
    .find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
}

/** `provider` must be an AwsProvider of the construct's stack. */
function checkProvider(scope: Construct, provider: unknown): Problem[] {
  if (provider === undefined) return [];
  if (!(provider instanceof AwsProvider)) {
    return [error("provider", provider instanceof Construct ? provider.node.path : provider, CONSTRUCT_RULES.providerNotAws.rule, CONSTRUCT_RULES.providerNotAws.fix)];
  }
  const stack = TerraformStack.of(scope).node.path;
  const providerStack = TerraformStack.of(provider).node.path;
  if (stack === providerStack) return [];
  const text = CONSTRUCT_RULES.providerOtherStack(stack, providerStack);
  return [error("provider", provider.node.path, text.rule, text.fix)];
}

/** A given region that disagrees with the provider's literal region: in the Glue database's words where it is made there. */
function regionProblems(givenRegion: unknown, providerRegion: string | undefined, props: MixpanelS3ExportProps): Problem[] {
  if (typeof givenRegion !== "string" || providerRegion === undefined || Token.isUnresolved(givenRegion) || Token.isUnresolved(providerRegion)) return [];
  if (givenRegion === providerRegion) return [];
  const glue = glueRegionProblems(props, providerRegion);
  if (glue.length > 0) return glue;
  const text = CONSTRUCT_RULES.regionDisagrees(givenRegion, providerRegion);
  return [error("region", givenRegion, text.rule, text.fix)];
}

/** The provider's region as configured (a literal or a Terraform value), or undefined where it names none. */
function configuredRegion(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Moves every resource below `construct` from the address it had when `construct`'s ID was `oldId` (the
 * logical IDs are hashes of the path from the stack down).
 */
function movedFromConstructId(construct: Construct, oldId: string): void {
  const stack = TerraformStack.of(construct);
  for (const resource of construct.node.findAll()) {
    if (!(resource instanceof TerraformResource)) continue;
    const path = resource.node.scopes.slice(resource.node.scopes.indexOf(stack) + 1).map((c) => (c === construct ? oldId : c.node.id));
    resource.moveFromId(`${resource.terraformResourceType}.${makeUniqueId(path)}`);
  }
}

/** Puts every resource and data source below `scope` on `provider`. */
function useProvider(scope: Construct, provider: AwsProvider): void {
  for (const c of scope.node.findAll()) {
    if (c instanceof TerraformResource || c instanceof TerraformDataSource) c.provider = provider;
  }
}

function throwIfErrors(problems: readonly Problem[]): void {
  const errors = problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new MixpanelSettingsError(errors);
}

function bucketEncryption(plan: ExportPlan, customerKeyArn: string | undefined, bucketKey: boolean): BucketEncryption | undefined {
  switch (plan.keyChoice) {
    case "none": return undefined;
    case "s3-managed": return { algorithm: "AES256" };
    default: return { algorithm: "aws:kms", kmsKeyArn: customerKeyArn, bucketKey };
  }
}

function roleDescription(p: ResolvedProps, role: RolePlan): string {
  const which = role.projects.length === 1 ? "its project token" : "one of its project tokens";
  return `Assumed by Mixpanel's export user (external ID: ${which}) to write Mixpanel exports to S3 bucket ${p.bucketName}` +
    (role.keyPrefix ? ` under ${role.keyPrefix}` : "");
}
