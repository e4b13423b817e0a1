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
