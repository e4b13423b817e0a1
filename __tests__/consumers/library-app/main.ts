import { App } from "CDK_CORE";
import { AnalyticsStack } from "./analytics-stack";

const app = new App();
new AnalyticsStack(app, "analytics");
app.synth();
