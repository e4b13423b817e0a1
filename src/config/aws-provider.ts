/**
 * The AWS provider versions this project supports: 5.100.0 (what the offline proofs run against) up to
 * every 6.x. A range, never an exact pin, so teams keep pinning their own provider.
 */
export const AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 7.0.0";

/**
 * The AWS provider's region, read from a `data "aws_region"` object (Terraform expression `dataSource`, e.g.
 * `data.aws_region.current`): provider 6.x names it `region` (and deprecates `name`), 5.x has only `name`.
 * `lookup` reads either without a static reference, so neither version reports an unknown or deprecated attribute.
 * The data source reads the provider's configuration, with no API call: offline plans keep working.
 */
export function providerRegionExpression(dataSource: string): string {
  return `coalesce(lookup(${dataSource}, "region", null), lookup(${dataSource}, "name", null))`;
}
