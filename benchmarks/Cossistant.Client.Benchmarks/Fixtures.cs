using System.Text;
using System.Text.Json;
using Cossistant.Client.Testing;

namespace Cossistant.Client.Benchmarks;

/// <summary>Deterministic names, states and frames shared by the benchmarks and the latency and memory modes.</summary>
internal static class Fixtures
{
    /// <summary>Flag names <c>flag-0000</c>… (sortable, so the normalized order is the declared order).</summary>
    public static string[] FlagNames(int count, string prefix = "flag-") =>
        [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i:D4}")];

    /// <summary>Step ids <c>step-000</c>…</summary>
    public static string[] StepIds(int count) => [.. Enumerable.Range(0, count).Select(i => $"step-{i:D3}")];

    /// <summary>Declared steps for a config: the first is <c>isFirst</c>, the last <c>isLast</c>.</summary>
    public static OnboardingStep[] DeclaredSteps(int count) =>
        [.. StepIds(count).Select((id, i) => new OnboardingStep(id, isFirst: i == 0, isLast: i == count - 1))];

    /// <summary>
    /// Onboarding with <paramref name="steps"/> steps: the first <paramref name="completed"/> are completed, and
    /// every other step carries a small metadata object (as a typed step would).
    /// </summary>
    public static OnboardingState Onboarding(int steps, int completed)
    {
        using var metadata = JsonDocument.Parse("""{"workspace":"Acme","seats":12}""");
        return OnboardingState.Create(StepIds(steps).Select((id, i) => new KeyValuePair<string, OnboardingStepState>(
            id, new OnboardingStepState(i < completed, i % 2 == 0 ? metadata.RootElement : null))));
    }

    /// <summary>
    /// The text of a <c>supportStateUpdated</c> frame exactly as the emulator (and upstream) writes it: routing
    /// fields, then the full state.
    /// </summary>
    public static string SupportStateUpdatedFrame(string websiteId, string organizationId, string visitorId, SupportState state)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "supportStateUpdated");
            writer.WriteStartObject("payload");
            writer.WriteString("websiteId", websiteId);
            writer.WriteString("organizationId", organizationId);
            writer.WriteString("visitorId", visitorId);
            writer.WriteNull("userId");
            writer.WritePropertyName("state");
            writer.WriteRawValue(state.ToString());
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A valid visitor id (26 characters of upper-case Crockford base32) for clients that never call the server.</summary>
    public const string OfflineVisitorId = "01JBENCHMARK0000000000000V";

    /// <summary>A website id for clients that never call the server.</summary>
    public const string OfflineWebsiteId = "web_benchmark";

    /// <summary>Options for a client that never calls the server (the URLs are never used).</summary>
    public static CossistantClientOptions OfflineOptions(SupportConfig config) => new()
    {
        ApiUrl = new Uri("http://127.0.0.1:9/v1"),
        RealtimeUrl = new Uri("ws://127.0.0.1:9/ws"),
        PublicKey = "pk_test_" + new string('0', 64),
        Origin = CossistantEmulator.DefaultOrigin,
        Support = config,
    };
}
