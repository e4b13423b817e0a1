/**
 * The module's addresses are a contract with every state that holds them: an address that changes makes
 * Terraform destroy the old object and create a new one (a user's bucket, key or role). Each change is listed
 * here once; the module carries a `moved` block for it and UPGRADING.md lists it (both generated from this list).
 */
export interface AddressMove {
  /** The module version that made the move. */
  readonly version: string;
  /** Old and new address, relative to the module (e.g. `aws_iam_role.this["shared"]`). */
  readonly from: string;
  readonly to: string;
  /** Why the address changed. */
  readonly reason: string;
}

/** Every address change so far: none (each resource has kept its first address). */
export const MODULE_MOVES: readonly AddressMove[] = [];

/** The `moved` blocks of main.tf.json, one per {@link MODULE_MOVES} entry. */
export function movedBlocks(moves: readonly AddressMove[] = MODULE_MOVES): { from: string; to: string }[] {
  return moves.map(({ from, to }) => ({ from, to }));
}

/** UPGRADING.md of the built module. */
export function upgradingMarkdown(moves: readonly AddressMove[] = MODULE_MOVES): string {
  const table = moves.length === 0
    ? "None so far: every resource has the address it had in the first release.\n"
    : ["| Version | From | To | Why |", "|---|---|---|---|",
      ...moves.map((m) => `| ${m.version} | \`${m.from}\` | \`${m.to}\` | ${m.reason} |`)].join("\n") +
      "\n\nThe module carries a `moved` block for each, so `terraform plan` after the upgrade shows the moves and no destroy:\n\n" +
      "```hcl\n" + moves.map((m) => `moved {\n  from = ${m.from}\n  to   = ${m.to}\n}`).join("\n\n") + "\n```\n";
  return `# Upgrading

The addresses of this module's resources are a contract with your state: an address that changes would make
Terraform destroy the object and create a new one (your bucket, key or role). They change only with a \`moved\`
block in the module, listed here, so an upgrade plans moves, never a replacement. A test of the module's sources
pins every address.

## Address changes

${table}
`;
}
