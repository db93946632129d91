// Cossistant.Client quickstart. It walks the support-state story with the typed config and the state
// model, offline: the server's answer is the JSON body that GET /v1/support/state returns.
using Cossistant.Client;
using Quickstart;

var failures = 0;

void Check(string what, bool holds)
{
    Console.WriteLine($"  [{(holds ? "ok" : "FAILED")}] {what}");
    if (!holds)
    {
        failures++;
    }
}

Console.WriteLine("1. The typed support config is validated when it is built:");
Check($"{Support.Config.FeatureFlags.Length} flags, {Support.Config.OnboardingSteps.Length} onboarding steps", Support.Config.HasOnboarding);
try
{
    SupportConfig.FromNames(["new-message", "new-message"]);
    Check("a duplicate flag is rejected", false);
}
catch (SupportConfigException error)
{
    Check($"a duplicate flag is rejected: \"{error.Message}\"", true);
}

Console.WriteLine("2. The server's support state (GET /v1/support/state), normalized:");
const string serverBody = """
    {"featureFlags":[" new-message ","beta"],
     "onboarding":{"steps":{"workspace":{"completed":true,"metadata":{"workspaceName":"Acme"}}}}}
    """;
var state = SupportState.Parse(serverBody);
Console.WriteLine($"  state: {state}");
Check("new-message is enabled", state.IsFeatureFlagEnabled(Support.NewMessage));
Check("billing-v2 is not enabled", !state.IsFeatureFlagEnabled(Support.BillingV2));

Console.WriteLine("3. The onboarding snapshot through the config:");
var onboarding = Support.Config.GetOnboardingSnapshot(state.Onboarding);
Check($"current step is \"{onboarding.CurrentStepId}\"", onboarding.CurrentStepId == Support.InviteTeam.Id);
Check($"workspace metadata reads back typed: {onboarding.GetMetadata(Support.Workspace)}",
    onboarding.GetMetadata(Support.Workspace)?.WorkspaceName == "Acme");

Console.WriteLine("4. Onboarding updates (what the client applies optimistically and sends as PATCH bodies):");
var setMetadata = OnboardingUpdate.SetMetadata(Support.InviteTeam.Id, Support.InviteTeam.ToJson(new(["ana@acme.com"])));
var complete = OnboardingUpdate.Complete(Support.InviteTeam.Id);
Console.WriteLine($"  PATCH /v1/support/onboarding {setMetadata}");
Console.WriteLine($"  PATCH /v1/support/onboarding {complete}");
state = state.Apply(setMetadata).Apply(complete);
onboarding = Support.Config.GetOnboardingSnapshot(state.Onboarding);
Check($"current step moved to \"{onboarding.CurrentStepId}\"", onboarding.CurrentStepId == Support.Done.Id);
Check("invited emails kept", onboarding.GetMetadata(Support.InviteTeam)?.InvitedEmails?.SequenceEqual(["ana@acme.com"]) == true);
state = state.Apply(OnboardingUpdate.Complete(Support.Done.Id));
Check("onboarding completed", Support.Config.GetOnboardingSnapshot(state.Onboarding).IsCompleted);
state = state.Apply(OnboardingUpdate.Reset());
Check("reset clears every step", state.Onboarding.Count == 0);

Console.WriteLine(failures == 0 ? "Every step held." : $"{failures} step(s) failed.");
return failures == 0 ? 0 : 1;
