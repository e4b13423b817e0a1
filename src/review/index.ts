/**
 * `mixpanel-s3-export/review`: the review command's reports as functions, for a CI script of your own. They
 * read synthesized JSON and saved plans only; neither loads cdktf or the provider bindings.
 * api/review.api.md records this surface; `npm run api` regenerates it after a reviewed change.
 */
export { reviewDiff, reviewPlan } from "../cli/review";
export type { Change, ChangeClass } from "./diff";
export { ReviewInputError } from "./input";
export type { LoadedPlan } from "./input";
export type { Json, JsonObject } from "./terraform-json";
