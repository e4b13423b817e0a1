import { App } from "CDK_CORE";
import { AnalyticsStack } from "./analytics-stack";
import { PlatformStack } from "./platform-stack";

const app = new App();
new AnalyticsStack(app, "analytics");
new PlatformStack(app, "platform");
app.synth();
