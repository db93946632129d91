using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cossistant.Client.Protocol;

/// <summary>Source-generated JSON metadata for every body the SDK sends or reads (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(SupportState))]
[JsonSerializable(typeof(OnboardingState))]
[JsonSerializable(typeof(OnboardingUpdate))]
[JsonSerializable(typeof(FeatureFlagMutationRequest))]
[JsonSerializable(typeof(FeatureFlagMutationResult))]
[JsonSerializable(typeof(WebsiteInfo))]
[JsonSerializable(typeof(IdentifyRequest))]
[JsonSerializable(typeof(IdentifyResult))]
[JsonSerializable(typeof(RealtimeEnvelope<SupportStateUpdatedPayload>))]
[JsonSerializable(typeof(RealtimeLooseFrame))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CossistantJsonContext : JsonSerializerContext;
