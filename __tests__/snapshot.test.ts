/**
 * A reviewed snapshot of what the default stack deploys. Any change to the synthesized Terraform shows up in
 * review as a diff of `__snapshots__/snapshot.test.ts.snap`; policies are parsed from their JSON strings so
 * the diff shows the statement that changed, not one long line. Update it deliberately with
 * `npx jest __tests__/snapshot.test.ts -u` and review the diff; CI runs with `--ci` and never writes it.
 */
import { baseProps, parse, synthStack } from "./support/synth";

/** Attributes whose value is a policy document rendered as a JSON string. */
const POLICY_ATTRIBUTES = new Set(["policy", "assume_role_policy"]);

/** The synthesized JSON with every policy string replaced by the parsed policy. */
function readable(value: unknown, key?: string): unknown {
  if (typeof value === "string" && key !== undefined && POLICY_ATTRIBUTES.has(key)) {
    return { "(policy JSON)": JSON.parse(value) as unknown };
  }
  if (Array.isArray(value)) return value.map((item) => readable(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v, k)]));
  }
  return value;
}

test("the default stack's synthesized Terraform", () => {
  expect(readable(parse(synthStack(baseProps())))).toMatchSnapshot();
});
