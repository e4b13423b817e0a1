/**
 * Who can assume the role? Only Mixpanel's export user, and only with a project token the role trusts as
 * `sts:ExternalId`. The trust policy is the role's resource policy; each authenticated caller carries an
 * identity policy allowing `sts:AssumeRole` on `*`, so a denial here is the trust policy's doing.
 */
import {
  CALLERS, Caller, IAM_VARIANTS, RequestCase, assumeRoleRequest, iamModel, roleNamed, runCase, tokensOf,
} from "../support/iam";
import { synthStack } from "../support/synth";

const short = (token: string): string => `${token.slice(0, 4)}…${token.slice(-4)}`;

/** A token no project of any variant uses. */
const UNKNOWN_TOKEN = "deadbeefdeadbeefdeadbeefdeadbeef";

const OTHER_CALLERS: Caller[] = [
  CALLERS.mixpanelOtherUser, CALLERS.mixpanelRole, CALLERS.mixpanelRoleSession, CALLERS.mixpanelRoot,
  CALLERS.otherAccountUser, CALLERS.ownAccountAdmin, CALLERS.anonymous,
];

describe.each(IAM_VARIANTS)("AssumeRole, $name", (variant) => {
  const model = iamModel(synthStack(variant.props));

  test("the stack has exactly the roles expected", () => {
    expect(model.roles.map((r) => r.name).sort()).toEqual(variant.roles.map((r) => r.name).sort());
  });

  describe.each(variant.roles)("role $name", (expected) => {
    const role = roleNamed(model, expected.name);
    const otherProjectsTokens = tokensOf(variant).filter((t) => !expected.tokens.includes(t));
    const [ownToken] = expected.tokens;
    const cases: RequestCase[] = [
      ...expected.tokens.map((token): RequestCase => ({
        name: `Mixpanel's export user with project token ${short(token)}`,
        request: assumeRoleRequest(role, CALLERS.mixpanel, token), expected: "Allowed",
      })),
      {
        name: "Mixpanel's export user with a wrong token",
        request: assumeRoleRequest(role, CALLERS.mixpanel, UNKNOWN_TOKEN), expected: "ImplicitlyDenied",
      },
      {
        name: "Mixpanel's export user with its token in upper case (StringEquals is case-sensitive)",
        request: assumeRoleRequest(role, CALLERS.mixpanel, ownToken.toUpperCase()), expected: "ImplicitlyDenied",
      },
      ...otherProjectsTokens.map((token): RequestCase => ({
        name: `Mixpanel's export user with another project's token ${short(token)}`,
        request: assumeRoleRequest(role, CALLERS.mixpanel, token), expected: "ImplicitlyDenied",
      })),
      {
        name: "Mixpanel's export user without an external ID",
        request: assumeRoleRequest(role, CALLERS.mixpanel, undefined), expected: "ImplicitlyDenied",
      },
      // A trust policy that allowed these would let the caller tag the session or stamp a source identity.
      ...["sts:TagSession", "sts:SetSourceIdentity"].map((action): RequestCase => ({
        name: `Mixpanel's export user, ${action} on the role`,
        request: assumeRoleRequest(role, CALLERS.mixpanel, undefined, action), expected: "ImplicitlyDenied",
      })),
      ...OTHER_CALLERS.map((caller): RequestCase => ({
        name: `${caller.label}, with the right token`,
        request: assumeRoleRequest(role, caller, ownToken), expected: "ImplicitlyDenied",
      })),
    ];
    test.each(cases)("$name: $expected", runCase);
  });
});
