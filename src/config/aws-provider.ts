/**
 * The AWS provider versions this project supports: 5.100.0 (what the offline proofs run against) up to
 * every 6.x. A range, never an exact pin, so teams keep pinning their own provider.
 */
export const AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 7.0.0";
