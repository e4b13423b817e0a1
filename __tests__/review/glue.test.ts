import { roleKind } from "../../src/review/glue";
import { readStack } from "../../src/review/model";
import { Resources } from "../../src/review/terraform-json";
import { baseProps, synthStack } from "../support/synth";
import { cli, diff, synthOut, writeCdktfOut } from "./helpers";

/**
 * The review of Mixpanel's Redshift Spectrum destination: the Glue and Redshift roles are listed with who may
 * assume them; their trust has no external ID, and the report says that this is Mixpanel's documented set-up
 * (a role without one that is not such a role stays flagged).
 */
const GLUE = { glueDatabase: "mixpanel_exports", redshiftRole: true };
const USER = "Mixpanel's export user `arn:aws:iam::485438090326:user/mixpanel-export`";
const DOCUMENTED = "none: Mixpanel's documented set-up for its Glue and Redshift roles";

const section = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from) + from.length));

describe("the report of a stack with the Glue catalog and the Redshift role", () => {
  const { code, stdout, stderr } = cli("review", synthOut(baseProps(GLUE)));

  test("exits 0 with no error", () => {
    expect([code, stderr]).toEqual([0, ""]);
  });

  test("the trust table lists the Glue and Redshift roles, without external ID, as Mixpanel documents them, and says so", () => {
    expect(section(stdout, "## Who can assume each role", "## What each role may do")).toBe([
      "## Who can assume each role",
      "",
      "| Role | Principal | Action | External ID | Other conditions |",
      "|---|---|---|---|---|",
      `| \`mixpanel-export\` | ${USER} | \`sts:AssumeRole\` | \`0123…cdef\` | none |`,
      `| \`mixpanel-glue\` | ${USER} | \`sts:AssumeRole\` | ${DOCUMENTED} | none |`,
      `| \`mixpanel-redshift\` | ${USER} | \`sts:AssumeRole\` | ${DOCUMENTED} | none |`,
      `| \`mixpanel-redshift\` | the Redshift service \`redshift.amazonaws.com\` (Mixpanel's Redshift role) | \`sts:AssumeRole\` | ${DOCUMENTED} | none |`,
      "",
      "`mixpanel-glue` and `mixpanel-redshift`: Mixpanel's Glue and Redshift roles (Redshift Spectrum). Their trust requires no external ID: " +
        "that is Mixpanel's documented set-up for these roles (its Redshift Spectrum page), not an omission. " +
        "They may only keep or read Mixpanel's tables in the Glue catalog and read the export files; they cannot write to the bucket.",
      "",
      "",
    ].join("\n"));
  });

  test("the Glue role's permissions name the catalog, the database and its tables, in words", () => {
    const actions = "`glue:GetDatabase`, `glue:CreateTable`, `glue:GetTable`, `glue:GetTables`, `glue:GetTableVersions`, `glue:UpdateTable`, " +
      "`glue:DeleteTable`, `glue:GetPartition`, `glue:CreatePartition`, `glue:DeletePartition`, `glue:UpdatePartition`, " +
      "`glue:BatchCreatePartition`, `glue:GetPartitions`, `glue:BatchDeletePartition`, `glue:BatchGetPartition`";
    expect(section(stdout, "### Role `mixpanel-glue`", "### Role `mixpanel-redshift`")).toBe([
      "### Role `mixpanel-glue`",
      "",
      "| Effect | Actions | Resource | Scope | Conditions | Policy |",
      "|---|---|---|---|---|---|",
      `| Allow | ${actions} | \`arn:aws:glue:us-east-1:*:catalog\` | the Glue catalog (us-east-1) | none | \`mixpanel-glue-access\` |`,
      `| Allow | ${actions} | \`arn:aws:glue:us-east-1:*:database/mixpanel_exports\` | the Glue database \`mixpanel_exports\` (us-east-1) | none | \`mixpanel-glue-access\` |`,
      `| Allow | ${actions} | \`arn:aws:glue:us-east-1:*:table/mixpanel_exports/*\` | every table of Glue database \`mixpanel_exports\` | none | \`mixpanel-glue-access\` |`,
      "",
      "Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
      "",
      "",
    ].join("\n"));
  });

  test("the form lists the Glue and Redshift fields", () => {
    expect(stdout).toContain("| Glue Database | `mixpanel_glue_database` | `mixpanel_exports` |");
    expect(stdout).toContain("| Glue Region | `mixpanel_glue_region` | `us-east-1` |");
    expect(stdout).toContain("| Glue Role | `mixpanel_glue_role_arn` | `<ARN of role mixpanel-glue>` (known after apply) |");
    expect(stdout).toContain("`mixpanel_redshift_role_arn` | `<ARN of role mixpanel-redshift>` (known after apply) |");
  });
});

test("with the page's \"*\" the Glue role reaches every resource, flagged", () => {
  const { stdout } = cli("review", synthOut(baseProps({ glueDatabase: "mixpanel_exports", glueScopeToDatabase: false })));
  expect(section(stdout, "### Role `mixpanel-glue`", "## Bucket protections")).toContain("| `*` | ⚠ every resource | none | `mixpanel-glue-access` |");
});

test("a role without external ID that is not one of Mixpanel's Glue or Redshift roles stays flagged", () => {
  const synthesized = JSON.parse(synthStack(baseProps())) as { resource: { aws_iam_role: Record<string, { assume_role_policy: string }> } };
  const [role] = Object.values(synthesized.resource.aws_iam_role);
  const trust = JSON.parse(role.assume_role_policy) as { Statement: { Condition?: unknown }[] };
  delete trust.Statement[0].Condition;
  role.assume_role_policy = JSON.stringify(trust);
  const { stdout } = cli("review", writeCdktfOut(JSON.stringify(synthesized)));
  expect(stdout).toContain(`| \`mixpanel-export\` | ${USER} | \`sts:AssumeRole\` | ⚠ none required | none |`);
  expect(stdout).not.toContain("Mixpanel's documented set-up");
});

test("turning the Glue part on is reported as a widening: new roles Mixpanel may assume", () => {
  const result = diff(baseProps(), baseProps(GLUE));
  expect(result.code).toBe(1);
  expect(result.stdout).toContain("mixpanel-glue");
  expect(result.stdout).toContain("mixpanel-redshift");
});

test("roleKind, which a plan's form is derived by: the export role, the Glue role, the Redshift role, and a role whose trust cannot be read", () => {
  const synthesized = JSON.parse(synthStack(baseProps(GLUE))) as { resource: Resources };
  synthesized.resource.aws_iam_role.unreadable = { name: "ci", assume_role_policy: "${data.aws_iam_policy_document.ci.json}" };
  const { roles } = readStack("glue", synthesized);
  expect(Object.fromEntries(roles.map((role) => [role.name, roleKind(role)]))).toEqual({
    ci: "unknown", "mixpanel-export": "export", "mixpanel-glue": "glue", "mixpanel-redshift": "redshift",
  });
});
