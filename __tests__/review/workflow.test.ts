import * as fs from "fs";
import * as path from "path";

/**
 * .github/workflows/plan-review.yml cannot run here; it is parsed and checked instead. js-yaml comes with
 * jest (a transitive dependency), so no YAML parser is added for this one test.
 */
const yaml = require("js-yaml") as { load(text: string): unknown };

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  "working-directory"?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const ROOT = path.join(__dirname, "..", "..");
const workflow = yaml.load(fs.readFileSync(path.join(ROOT, ".github", "workflows", "plan-review.yml"), "utf8")) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const uses = (action: string) => steps.filter((step) => step.uses?.startsWith(`${action}@`));

test("runs on pull requests", () => {
  expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
});

test("asks for exactly the permissions it needs: read the code, comment, OIDC", () => {
  expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write", "id-token": "write" });
});

test("checks out the pull request and its base side by side", () => {
  expect(uses("actions/checkout").map((step) => step.with)).toEqual([
    { path: "head" },
    { ref: "${{ github.event.pull_request.base.sha }}", path: "base" },
  ]);
});

test("installs with npm ci and synthesizes base and head into their own output folders", () => {
  const synth = steps.find((step) => step.run?.includes("cdktf synth"))!;
  expect(synth.run).toContain("for side in base head; do");
  expect(synth.run).toContain('npm ci && npx cdktf synth --output "$GITHUB_WORKSPACE/synth/$side"');
});

test("runs the review diff, keeps its exit code, and fails at once only on unusable input", () => {
  const review = steps.find((step) => step.id === "review")!;
  expect(review.run).toContain("npx mixpanel-s3-export review --base ../synth/base --head ../synth/head > ../review.md");
  expect(review.run).toContain('echo "exit-code=$code" >> "$GITHUB_OUTPUT"');
  expect(review.run).toContain('[ "$code" -ne 2 ]');
});

test("posts one comment and updates it on every push, found by a marker", () => {
  const [comment] = uses("actions/github-script");
  const script = String(comment.with?.script);
  expect(script).toContain('const marker = "<!-- mixpanel-s3-export:plan-review -->"');
  expect(script).toContain("github.rest.issues.updateComment");
  expect(script).toContain("github.rest.issues.createComment");
  expect(script).toContain('readFileSync("review.md"');
});

test("plans with AWS credentials from OIDC, the role ARN coming from a repository variable", () => {
  const [credentials] = uses("aws-actions/configure-aws-credentials");
  expect(credentials.with?.["role-to-assume"]).toBe("${{ vars.MIXPANEL_PLAN_ROLE_ARN }}");
  const plan = steps.find((step) => step.run?.includes("terraform") && step.run.includes(" plan "))!;
  expect(plan.run).toContain("synth/head/stacks/*/");
  expect([credentials.if, plan.if]).toEqual(["vars.MIXPANEL_PLAN_ROLE_ARN != ''", "vars.MIXPANEL_PLAN_ROLE_ARN != ''"]);
});

test("a widening change fails the check, after the comment and the plan", () => {
  const last = steps[steps.length - 1];
  expect(last.if).toBe("steps.review.outputs.exit-code == '1'");
  expect(last.run).toMatch(/exit 1\s*$/);
});

test("README documents the role ARN variable, the comment marker and the choice to fail on widening", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  expect(readme).toContain("`MIXPANEL_PLAN_ROLE_ARN`");
  expect(readme).toContain("`<!-- mixpanel-s3-export:plan-review -->`");
  expect(readme).toContain("**Widening fails the check.**");
});
