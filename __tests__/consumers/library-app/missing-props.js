// Plain JavaScript, run with node as it is (not compiled): the export's required props left out, as nothing
// stops a JavaScript user from doing. Prints one JSON line per attempt: what was thrown, by class and message.
const { App, TerraformStack } = require("CDK_CORE");
const { AwsProvider } = require("CDK_AWS/lib/provider");
const { MixpanelS3Export, MixpanelSettingsError } = require("MIXPANEL_LIBRARY");

const stack = new TerraformStack(new App(), "javascript");
new AwsProvider(stack, "aws", { region: "eu-west-1" });

const attempts = {
  "no props": () => new MixpanelS3Export(stack, "x"),
  "empty props": () => new MixpanelS3Export(stack, "y", {}),
  "bucketName null": () => new MixpanelS3Export(stack, "z", { projects: [{ token: "0123456789abcdef0123456789abcdef" }], bucketName: null }),
};
for (const [attempt, construct] of Object.entries(attempts)) {
  try {
    construct();
    console.log(JSON.stringify({ attempt, thrown: false }));
  } catch (error) {
    console.log(JSON.stringify({
      attempt,
      name: error.name,
      mixpanelSettingsError: error instanceof MixpanelSettingsError,
      typeError: error instanceof TypeError,
      message: error.message,
    }));
  }
}
