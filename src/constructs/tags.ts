/** Leaves `tags` out of the synthesized JSON when there are none, so plans show no empty maps. */
export function nonEmpty(tags: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return tags && Object.keys(tags).length > 0 ? { ...tags } : undefined;
}
