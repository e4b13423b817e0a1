/**
 * A module call's address in a root as Terraform writes it: `module.<name>`, with an instance key, nested or
 * not (`module.team["prod"].module.export[0]`). `adopt --module` and `review --module` both take one, with
 * this rule and these words.
 */
const MODULE_ADDRESS = /^module\.[A-Za-z_][\w-]*(\[(\d+|"[^"\\]*")\])?(\.module\.[A-Za-z_][\w-]*(\[(\d+|"[^"\\]*")\])?)*$/;

/** What is wrong with `value` given to `flag` as a module call's address, or undefined when it is one. */
export function moduleAddressProblem(flag: string, value: string): string | undefined {
  return MODULE_ADDRESS.test(value) ? undefined
    : `${flag} ${value}: not the address of a module call; write it as Terraform does, e.g. module.mixpanel or module.mixpanel["prod"]`;
}
