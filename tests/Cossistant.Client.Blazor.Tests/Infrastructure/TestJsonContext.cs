using System.Text.Json.Serialization;

namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>Source-generated JSON for the typed onboarding step: no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkspaceMetadata))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
