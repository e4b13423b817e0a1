/** The subset of the IAM policy grammar this project writes. Values may be cdktf string tokens. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | { readonly AWS: string | readonly string[]; readonly Service?: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Wraps statements in a document with the only policy-language version AWS recommends. */
export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Renders a policy as the JSON string Terraform receives. Plain JSON (not a data source evaluated at
 * plan time), so the synthesized output can be read, reviewed and parsed by tests. String tokens inside
 * it (ARNs of resources not yet created) become Terraform interpolations when cdktf resolves the string.
 */
export function renderPolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}
