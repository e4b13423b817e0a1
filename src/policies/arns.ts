/**
 * ARNs built from names. Everything here is in the `aws` partition: Mixpanel's principal lives there, and
 * a role in another partition cannot trust it (the rules reject such regions).
 */
export function bucketArn(bucketName: string): string {
  return `arn:aws:s3:::${bucketName}`;
}

/** Every object in the bucket, or under a key prefix that ends with `/`. */
export function objectsArn(bucketName: string, keyPrefix = ""): string {
  return `${bucketArn(bucketName)}/${keyPrefix}*`;
}

/**
 * Glue Data Catalog ARNs (docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html) in the
 * bucket's region. The account is `*`: naming it would need `aws_caller_identity`, an STS call at every
 * plan, and a Glue catalog of another account is reachable only when that account's catalog resource
 * policy grants it, so `*` adds nothing in practice (see README).
 */
export function glueCatalogArn(region: string): string {
  return `arn:aws:glue:${region}:*:catalog`;
}

export function glueDatabaseArn(region: string, database: string): string {
  return `arn:aws:glue:${region}:*:database/${database}`;
}

/** Every table of one database. */
export function glueTablesArn(region: string, database: string): string {
  return `arn:aws:glue:${region}:*:table/${database}/*`;
}
