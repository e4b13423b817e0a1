import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AWS_PROVIDER_CONSTRAINT, providerRegionExpression } from "../../src/config/aws-provider";
import { MixpanelS3Export } from "../../src/constructs/mixpanel-s3-export";
import { planTimeValidations } from "../../src/module/validations";
import { TOKEN } from "../support/synth";
import { stackRoot } from "../support/deployed-state";
import { describeTerraform } from "../support/terraform";
import { RootPlan, planRoots } from "../support/terraform-test";

/**
 * A library user's own stack: their AWS provider, its region a Terraform variable (a literal region that
 * disagrees fails at synth: library.test.ts), the construct inside. The construct cannot know at synth where
 * the provider makes the bucket; at plan it refuses a provider in another region than `region`, with the words
 * the module uses for the same mistake.
 */
function librarySynth(providerRegion: string, region: string): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, "library-user");
  const regionVariable = new TerraformVariable(stack, "aws_region", { type: "string", default: providerRegion });
  new AwsProvider(stack, "aws", { region: regionVariable.stringValue });
  stack.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);
  new MixpanelS3Export(stack, "export", { projects: [{ token: TOKEN }], bucketName: "acme-mixpanel-export", region });
  return Testing.synth(stack);
}

const whitespace = (text: string) => text.replace(/\s+/g, " ");

test("the construct's message is the module's for the same regions", () => {
  const synthesized = JSON.parse(librarySynth("us-east-1", "eu-west-1")) as { data: { aws_region: Record<string, { lifecycle: { postcondition: { error_message: string }[] } }> } };
  const [check] = Object.values(synthesized.data.aws_region);
  const construct = check.lifecycle.postcondition[0].error_message.replace(`\${${providerRegionExpression("self")}}`, "us-east-1");
  const module = planTimeValidations().find((v) => v.id === "regionProvider")!.error_message
    .replace('${var.region == null ? "" : var.region}', "eu-west-1").replace("${local.provider_region}", "us-east-1");
  expect(construct).toBe(module);
});

describeTerraform("the construct refuses a provider in another region (terraform tier)", () => {
  let plans: Promise<Map<string, RootPlan>>;

  beforeAll(() => {
    // Both stacks as roots of one terraform test.
    plans = planRoots([
      { name: "disagrees", files: stackRoot(librarySynth("us-east-1", "eu-west-1")) },
      { name: "agrees", files: stackRoot(librarySynth("eu-west-1", "eu-west-1")) },
    ], "construct-region");
    plans.catch(() => undefined);
  });

  test("provider us-east-1, region eu-west-1: the plan fails naming both", async () => {
    const outcome = (await plans).get("disagrees")!;
    const error = whitespace(outcome.ok ? "planned" : outcome.error);
    expect(error).toContain("Error: Resource postcondition failed");
    expect(error).toContain("region: the bucket's region is given as eu-west-1, but the AWS provider is configured for us-east-1, where the bucket and roles are made.");
    expect(error.match(/Error: /g)).toHaveLength(1);
  });

  test("provider and region agree: the plan reads the provider's region and creates only", async () => {
    const outcome = (await plans).get("agrees")!;
    if (!outcome.ok) throw new Error(outcome.error);
    const changes = outcome.plan.resource_changes ?? [];
    expect(changes.filter((c) => c.change.actions.join() !== "create")).toEqual([]);
    expect(changes.length).toBe(8);
  });
});
