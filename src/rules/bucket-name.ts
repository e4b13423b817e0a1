import { LIMITS, PATTERNS, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES } from "./patterns";
import { FixedRuleId } from "./texts";

/** One bucket-name rule a name breaks, with the detail about this name that its message appends. */
export interface BucketNameBreak {
  readonly id: FixedRuleId;
  readonly detail?: string;
}

/**
 * The AWS rules for general purpose bucket names that a given, non-empty name breaks. The construct
 * (rules.ts) and `mixpanel-s3-export adopt --bucket` both check names here; it loads no cdktf, so the
 * command stays quick.
 */
export function bucketNameBreaks(name: string): BucketNameBreak[] {
  const breaks: BucketNameBreak[] = [];
  const { min, max } = LIMITS.bucketName;
  if (name.length < min || name.length > max) breaks.push({ id: "bucketLength", detail: `(this one has ${name.length})` });
  if (!PATTERNS.bucketCharacters.js.test(name)) breaks.push({ id: "bucketCharacters" });
  if (!PATTERNS.bucketStartEnd.js.test(name)) breaks.push({ id: "bucketStartEnd" });
  if (name.includes("..")) breaks.push({ id: "bucketAdjacentDots" });
  if (PATTERNS.ipAddress.js.test(name)) breaks.push({ id: "bucketIpAddress" });
  for (const prefix of RESERVED_BUCKET_PREFIXES) {
    if (name.startsWith(prefix)) breaks.push({ id: "bucketReservedPrefix", detail: `"${prefix}"` });
  }
  for (const suffix of RESERVED_BUCKET_SUFFIXES) {
    if (name.endsWith(suffix)) breaks.push({ id: "bucketReservedSuffix", detail: `"${suffix}"` });
  }
  return breaks;
}
