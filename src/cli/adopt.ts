/**
 * `mixpanel-s3-export adopt`: prints the import blocks that adopt a set-up made by hand into a call of the
 * registry module, for the root module (import blocks may not stand inside a module before Terraform 1.16).
 */
import { EncryptionType } from "../mixpanel";
import { ModuleAdoption, adoptionProblems, callsWithoutKey, moduleCallProblems, moduleImportBlocks, renderImportBlocks } from "../module/adoption";
import { MAKE_PLAN_JSON, ReviewInputError, loadInput, planModuleAddresses } from "../review/input";
import { moduleAddressProblem } from "../rules/module-address";
import { EXIT, Io, processIo } from "./review";

export const ADOPT_USAGE = `Usage:
  mixpanel-s3-export adopt --module <address> [--bucket <name> --encryption <NONE|AES|KMS>] [--role <name>] [--plan <plan.json>]
  mixpanel-s3-export adopt --module <address> --role <token>=<name> [--role <token>=<name> ...] [--plan <plan.json>]

Prints Terraform import blocks that take a bucket and role made by hand under the registry module call at
<address>, for a .tf file of the root module. Then plan: the imports show what changes; nothing may be
replaced or destroyed.

  --module <address>          the call as Terraform writes it: module.mixpanel; with count or for_each one
                              instance, module.mixpanel[0] or 'module.mixpanel["prod"]' (a key's \${ and %{
                              written $\${ and %%{, as in the plan)
  --plan <plan.json>          terraform show -json of a plan of the root: checks the address (count or
                              for_each, its instance keys); without it an address without an instance key
                              is printed with a note, as adopt cannot tell whether the call has either

  --bucket <name>             the bucket (its default encryption, public access block and ownership
                              controls come with it, as the module call manages them)
  --encryption <value>        the module call's encryption (with NONE, no default encryption is managed)
  --no-block-public-access    the module call sets block_public_access = false
  --no-enforce-bucket-owner   the module call sets enforce_bucket_owner = false
  --role <name>               the one shared role, by its name in IAM (set role_name to it in the call)
  --role <token>=<name>       with role_per_project: the role of the project with that token (set
                              role_name = "<name>" on that project in the call's projects, or the
                              module would name the role <role_name>-<project_id> and replace it)
Names are checked by the module's rules. --module, --bucket, --encryption and --plan are given once.
Exit code: 0 printed, 2 unusable arguments (the reasons go to stderr).
`;

/** Runs `adopt` for `argv` (after the word adopt) and returns its exit code. */
export function runAdopt(argv: readonly string[], io: Io = processIo): number {
  const parsed = parseArgs(argv);
  if ("help" in parsed) {
    io.stdout(ADOPT_USAGE);
    return EXIT.ok;
  }
  const problems = [...parsed.problems, ...adoptionProblems(parsed.adoption)];
  const address = parsed.adoption.moduleAddress;
  if (parsed.plan !== undefined && moduleAddressProblem("--module", address) === undefined) {
    problems.push(...planProblems(address, parsed.plan));
  }
  if (problems.length > 0) {
    io.stderr(`mixpanel-s3-export adopt:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n\n${ADOPT_USAGE}`);
    return EXIT.unusable;
  }
  const unkeyed = callsWithoutKey(address);
  if (parsed.plan === undefined && unkeyed.length > 0) {
    io.stderr(`mixpanel-s3-export adopt: ${unkeyed.join(", ")} ${unkeyed.length === 1 ? "is" : "are"} written without an instance key, right for a call ` +
      "without count or for_each; if it has one, give the instance (e.g. module.mixpanel[\"prod\"] or module.mixpanel[0]), " +
      "or give --plan plan.json to have adopt check the address and name the instances\n");
  }
  io.stdout(`# Adopts a Mixpanel export set-up made by hand into ${address} (printed by mixpanel-s3-export adopt).\n` +
    "# Plan, and read the plan before applying: nothing may be replaced or destroyed.\n\n" +
    renderImportBlocks(moduleImportBlocks(parsed.adoption)));
  return EXIT.ok;
}

/** What is wrong with the module call's address in the plan at `file` (or with the file itself). */
function planProblems(address: string, file: string): string[] {
  try {
    const input = loadInput(file);
    if (input.kind !== "plan") return [`--plan ${file}: a synth, not a saved plan of the root that calls the module (${MAKE_PLAN_JSON})`];
    return moduleCallProblems(address, input.plan.plan, planModuleAddresses(input.plan.plan), file);
  } catch (error) {
    if (!(error instanceof ReviewInputError)) throw error;
    return error.problems.map((problem) => `--plan ${problem}`);
  }
}

type Parsed = { help: true } | { adoption: ModuleAdoption; plan?: string; problems: string[] };

/** The flags that take one value: given twice, which one was meant is unknown. */
const SINGLE_VALUED = ["--module", "--bucket", "--encryption", "--plan"] as const;

function parseArgs(argv: readonly string[]): Parsed {
  const problems: string[] = [];
  const single = new Map<string, string[]>(SINGLE_VALUED.map((flag) => [flag, []]));
  let blockPublicAccess = true;
  let enforceBucketOwner = true;
  const roles: { token?: string; name: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // --flag=value as well as --flag value (--role=<token>=<name> splits at its first =).
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === "") problems.push(`${flag} needs a value`);
      return next ?? "";
    };
    switch (flag) {
      case "--help": case "-h": case "help": return { help: true };
      case "--module": case "--bucket": case "--encryption": case "--plan": single.get(flag)!.push(value()); break;
      case "--no-block-public-access": blockPublicAccess = false; break;
      case "--no-enforce-bucket-owner": enforceBucketOwner = false; break;
      case "--role": {
        const text = value();
        const equals = text.indexOf("=");
        roles.push(equals < 0 ? { name: text } : { token: text.slice(0, equals), name: text.slice(equals + 1) });
        if (equals >= 0 && equals === text.length - 1) problems.push(`--role ${text}: needs the role's name after the =`);
        break;
      }
      default: problems.push(`unknown argument ${arg}`);
    }
  }
  for (const [flag, values] of single) {
    if (values.length > 1) problems.push(`${flag} ${values.join(", ")}: ${flag} is given once`);
  }
  const [moduleAddress = "", bucket, given, plan] = SINGLE_VALUED.map((flag) => single.get(flag)![0]);
  const encryption = given?.toUpperCase();
  if (bucket !== undefined && encryption === undefined) {
    problems.push("--encryption is required with --bucket: the module call's encryption (NONE, AES or KMS) decides whether its default encryption is imported");
  }
  if (bucket === undefined && (encryption !== undefined || !blockPublicAccess || !enforceBucketOwner)) {
    problems.push("--encryption, --no-block-public-access and --no-enforce-bucket-owner go with --bucket");
  }
  const adoption: ModuleAdoption = {
    moduleAddress,
    bucket: bucket === undefined ? undefined : { name: bucket, encryption: (encryption ?? "NONE") as EncryptionType, blockPublicAccess, enforceBucketOwner },
    roles,
  };
  return { adoption, plan, problems };
}
