/**
 * A module call's address in a root as Terraform writes it: `module.<name>`, with an instance key, nested or
 * not (`module.team["prod"].module.export[0]`). `adopt --module` and `review --module` both take one, with
 * this rule and these words. Terraform writes a `${` or `%{` in a string key as `$${` or `%%{` (state,
 * plan and `terraform state list` alike), and refuses the address with one unescaped.
 */
const KEY_TEXT = String.raw`(?:[^"\\$%]|\$\$|%%|[$%](?!\{))*`;
const addressPattern = (keyText: string) => {
  const step = String.raw`module\.[A-Za-z_][\w-]*(\[(\d+|"${keyText}")\])?`;
  return new RegExp(`^${step}(\\.${step})*$`);
};
const MODULE_ADDRESS = addressPattern(KEY_TEXT);
/** The same with any text in a key: what a user may copy from an HCL for_each, unescaped. */
const UNESCAPED_MODULE_ADDRESS = addressPattern(String.raw`[^"\\]*`);

/** What is wrong with `value` given to `flag` as a module call's address, or undefined when it is one. */
export function moduleAddressProblem(flag: string, value: string): string | undefined {
  if (MODULE_ADDRESS.test(value)) return undefined;
  if (UNESCAPED_MODULE_ADDRESS.test(value)) {
    return `${flag} ${value}: an instance key holding \${ or %{ is written $\${ or %%{, as Terraform writes the address (terraform state list, the plan): e.g. module.mixpanel["a$\${x}"]`;
  }
  return `${flag} ${value}: not the address of a module call; write it as Terraform does, e.g. module.mixpanel or module.mixpanel["prod"]`;
}
