import * as fs from "fs";
import * as path from "path";
import { baseProps } from "../support/synth";
import {
  ROOT, WORKFLOWS, actionValidator, loadWorkflow, runStep, shellScript, shellcheck, shellcheckPath, stepsOf,
} from "../support/workflows";
import { cli, synthOut, tempDir } from "./helpers";
import { NODE_LINES } from "../support/node-versions";
import { AWS_PROVIDER_VERSION } from "../support/terraform";

/**
 * The two review workflows: .github/workflows/plan-review.yml (a repository with the cdktf stack: the plan with
 * credentials, the synth diff without) and examples/workflows/terraform-plan-review.yml (ready to copy into
 * a plain-Terraform repository). Validated against GitHub's schema, shellchecked, and their review steps
 * run in bash; the plan branches run on real plans in __tests__/terraform/plan-review.tf.test.ts; the
 * synth step runs on Node 24 in the node versions tier (__tests__/node-versions.test.ts). And the project's
 * own CI (.github/workflows/ci.yml), validated and shellchecked the same way.
 */

const stack = loadWorkflow(WORKFLOWS.stack);
const plain = loadWorkflow(WORKFLOWS.terraform);
const BOTH = [["plan-review.yml", WORKFLOWS.stack], ["terraform-plan-review.yml", WORKFLOWS.terraform]] as const;
const uses = (workflow: typeof stack, action: string) => stepsOf(workflow).filter((step) => step.uses?.startsWith(`${action}@`));
const named = (workflow: typeof stack, name: string) => stepsOf(workflow).find((step) => step.name === name)!;
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe.each(BOTH)("%s", (_name, file) => {
  const workflow = loadWorkflow(file);
  const steps = stepsOf(workflow);

  test("is valid against GitHub's workflow schema (action-validator)", () => {
    expect(actionValidator(file)).toEqual({ status: 0, output: "" });
  });

  test("runs on pull requests, one run per pull request at a time, with exactly the permissions it needs", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.concurrency).toEqual({ group: `${workflow.name}-\${{ github.event.pull_request.number }}`, "cancel-in-progress": true });
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write", "id-token": "write" });
  });

  test("posts one comment and updates it on every push, found by its own marker", () => {
    const [comment] = uses(workflow, "actions/github-script");
    const script = String(comment.with?.script);
    expect(script).toContain(`const marker = "<!-- mixpanel-s3-export:${workflow.name} -->"`);
    expect(script).toContain("github.rest.issues.updateComment");
    expect(script).toContain("github.rest.issues.createComment");
    expect(script).toContain('readFileSync("review.md"');
  });

  test("the review keeps its exit code for later, fails at once only on unusable input, and a widening fails last", () => {
    const review = steps.find((step) => step.id === "review")!;
    expect(review.run).toContain('echo "exit-code=$code" >> "$GITHUB_OUTPUT"');
    expect(review.run).toMatch(/\[ "\$code" -ne 2 \]\s*$/);
    const last = steps[steps.length - 1];
    expect(last.if).toBe("steps.review.outputs.exit-code == '1'");
    expect(last.run).toMatch(/exit 1\s*$/);
  });
});

test("the schema check can fail: a misspelled key is rejected", () => {
  const broken = path.join(tempDir(), "broken.yml");
  fs.writeFileSync(broken, fs.readFileSync(WORKFLOWS.terraform, "utf8").replace("    runs-on: ubuntu-latest\n", "    runs_on: ubuntu-latest\n"));
  const result = actionValidator(broken);
  expect(result.status).not.toBe(0);
  expect(result.output).toContain("Additional property 'runs_on' is not allowed");
});

const SHELLCHECK = shellcheckPath();
if (!SHELLCHECK) {
  process.stderr.write("\nshellcheck SKIPPED: shellcheck is not installed (apt-get install shellcheck): the workflows' run steps were not checked\n\n");
}
(SHELLCHECK ? describe : describe.skip)("shellcheck on every run step", () => {
  test.each([...BOTH, ["ci.yml", WORKFLOWS.ci] as const].flatMap(([name, file]) => stepsOf(loadWorkflow(file)).filter((step) => step.run).map((step) => [name, step.name ?? step.id ?? "?", step.run!])))(
    "%s: %s",
    (_workflow, _step, run) => {
      expect(shellcheck(SHELLCHECK!, shellScript(run))).toEqual({ status: 0, output: "" });
    },
  );

  test("the check can fail: an unquoted expansion is reported", () => {
    const result = shellcheck(SHELLCHECK!, shellScript('for plan in $PLANS; do cat $plan; done\n'));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("SC2086");
  });
});

describe("plan-review.yml (the cdktf stack)", () => {
  test("checks out the pull request and its base side by side, and synthesizes both", () => {
    expect(uses(stack, "actions/checkout").map((step) => step.with)).toEqual([
      { path: "head" },
      { ref: "${{ github.event.pull_request.base.sha }}", path: "base" },
    ]);
    const synth = named(stack, "Synthesize base and head");
    expect(synth.run).toContain("for side in base head; do");
    expect(synth.run).toContain('(cd "$side" && npm ci &&');
    expect(synth.run).toContain('CDKTF_OUTDIR="$GITHUB_WORKSPACE/synth/$side"');
  });

  test("with the role ARN variable: OIDC credentials, then a saved plan and its JSON for each head stack", () => {
    const [credentials] = uses(stack, "aws-actions/configure-aws-credentials");
    expect(credentials.with?.["role-to-assume"]).toBe("${{ vars.MIXPANEL_PLAN_ROLE_ARN }}");
    const plan = named(stack, "terraform plan");
    expect([credentials.if, plan.if]).toEqual(["vars.MIXPANEL_PLAN_ROLE_ARN != ''", "vars.MIXPANEL_PLAN_ROLE_ARN != ''"]);
    expect(plan.run).toContain('terraform -chdir="$stack" plan -input=false -lock=false -out=plan.bin');
    expect(plan.run).toContain('terraform -chdir="$stack" show -json plan.bin > "${stack}plan.json"');
    expect(Object.values(stack.jobs)[0].env).toEqual({ PLAN_ROLE_ARN: "${{ vars.MIXPANEL_PLAN_ROLE_ARN }}" });
  });

  test("without credentials the review step reviews the synth diff: exit code kept for the last step, report in the comment file", () => {
    const workspace = tempDir();
    fs.mkdirSync(path.join(workspace, "head"));
    fs.cpSync(synthOut(baseProps()), path.join(workspace, "synth", "base"), { recursive: true });
    fs.cpSync(synthOut(baseProps({ tlsOnly: false })), path.join(workspace, "synth", "head"), { recursive: true });
    const run = runStep(named(stack, "Review the change"), workspace, { PLAN_ROLE_ARN: "" });
    expect([run.status, run.outputs]).toEqual([0, { "exit-code": "1" }]);
    const expected = cli("review", "--base", path.join(workspace, "synth", "base"), "--head", path.join(workspace, "synth", "head")).stdout;
    expect(fs.readFileSync(path.join(workspace, "review.md"), "utf8")).toBe(expected);
    expect(run.summary).toBe(expected);
  });

  test("unusable input fails the review step itself (exit code 2)", () => {
    const workspace = tempDir();
    fs.mkdirSync(path.join(workspace, "head"));
    const run = runStep(named(stack, "Review the change"), workspace, { PLAN_ROLE_ARN: "" });
    expect([run.status, run.outputs]).toEqual([1, { "exit-code": "2" }]);
    expect(run.stderr).toContain("mixpanel-s3-export review: ../synth/base: no such file or folder");
  });
});

describe("terraform-plan-review.yml (a plain-Terraform root, ready to copy)", () => {
  test("fmt, credentials, init and validate, plan to JSON, review, comment, then fail on widening", () => {
    expect(stepsOf(plain).map((step) => step.name ?? step.uses)).toEqual([
      "actions/checkout@v4", "hashicorp/setup-terraform@v3", "actions/setup-node@v4",
      "terraform fmt", "AWS credentials from OIDC", "terraform init and validate", "terraform plan",
      "Review the plan", "Post or update the review comment", "Widening needs an explicit approval",
    ]);
    expect(named(plain, "terraform fmt").run).toBe('terraform -chdir="$TF_ROOT" fmt -check -recursive -diff');
    expect(named(plain, "terraform init and validate").run).toContain('terraform -chdir="$TF_ROOT" validate -no-color');
    expect(named(plain, "terraform plan").run).toBe([
      'terraform -chdir="$TF_ROOT" plan -input=false -lock=false -out=plan.bin',
      'terraform -chdir="$TF_ROOT" show -json plan.bin > "$RUNNER_TEMP/plan.json"', "",
    ].join("\n"));
    expect(Object.values(plain.jobs)[0].env).toEqual({ TF_ROOT: "${{ vars.TERRAFORM_ROOT || '.' }}", TF_IN_AUTOMATION: "1" });
  });

  test("runs the package from npm at this version: nothing to install in the Terraform repository", () => {
    expect(named(plain, "Review the plan").run).toContain(`npx --yes mixpanel-s3-export@${PACKAGE_VERSION} review "$RUNNER_TEMP/plan.json" > review.md`);
  });
});

test("README documents the role ARN variable, both workflows and their markers, and the choice to fail on widening", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  expect(readme).toContain("`MIXPANEL_PLAN_ROLE_ARN`");
  expect(readme).toContain("`<!-- mixpanel-s3-export:plan-review -->`");
  expect(readme).toContain("`<!-- mixpanel-s3-export:terraform-plan-review -->`");
  expect(readme).toContain("[`examples/workflows/terraform-plan-review.yml`](examples/workflows/terraform-plan-review.yml)");
  expect(readme).toContain("**Widening fails the check.**");
});

describe("ci.yml (this project's own CI)", () => {
  const ci = loadWorkflow(WORKFLOWS.ci);

  test("is valid against GitHub's workflow schema (action-validator)", () => {
    expect(actionValidator(WORKFLOWS.ci)).toEqual({ status: 0, output: "" });
  });

  test("runs npm ci and npm test on every supported Node.js LTS line, each to its end, reading the repository only", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(ci.jobs.test.strategy).toEqual({ "fail-fast": false, matrix: { node: NODE_LINES.map((line) => line.line) } });
    const [setupNode] = uses(ci, "actions/setup-node");
    expect(setupNode.with).toEqual({ "node-version": "${{ matrix.node }}", cache: "npm" });
    const commands = stepsOf(ci).filter((step) => step.run !== undefined).map((step) => step.run!.trim());
    expect(commands.slice(-2)).toEqual(["npm ci", "npm test"]);
  });

  test("gives the terraform tier its provider mirror, laid out as the tier looks for it", () => {
    const mirror = named(ci, "AWS provider 5.100.0 in a filesystem mirror");
    expect(mirror.run).toContain(`registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}/linux_amd64`);
    expect(mirror.run).toContain('echo "MIXPANEL_TF_MIRROR=$mirror" >> "$GITHUB_ENV"');
    const [terraform] = uses(ci, "hashicorp/setup-terraform");
    expect(terraform.with).toEqual({ terraform_version: "1.11.4", terraform_wrapper: false });
  });

  test(".nvmrc pins the newest line's version, the one .ci/run runs on", () => {
    expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8")).toBe(`${NODE_LINES[NODE_LINES.length - 1].version}\n`);
  });
});
