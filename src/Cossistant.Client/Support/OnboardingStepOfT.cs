using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cossistant.Client;

/// <summary>
/// An onboarding step whose metadata has the type <typeparamref name="TMetadata"/>, so setting metadata of
/// another type for it does not compile:
/// <c>public static readonly OnboardingStep&lt;WorkspaceMetadata&gt; Workspace = new("workspace", AppJson.Default.WorkspaceMetadata, isFirst: true);</c>.
/// </summary>
/// <typeparam name="TMetadata">The metadata type; it must serialize to a JSON object.</typeparam>
public sealed class OnboardingStep<TMetadata> : OnboardingStep
{
    /// <summary>
    /// Declares a step whose metadata is serialized with source-generated metadata (trimming and AOT safe).
    /// </summary>
    /// <param name="id">The step id: non-empty after trimming.</param>
    /// <param name="metadataTypeInfo">The JSON type info of <typeparamref name="TMetadata"/>, from the app's <c>JsonSerializerContext</c>.</param>
    /// <param name="isFirst">Whether this is the config's one first step.</param>
    /// <param name="isLast">Whether this is the config's one last step.</param>
    /// <exception cref="SupportConfigException">The id is empty or whitespace.</exception>
    public OnboardingStep(string id, JsonTypeInfo<TMetadata> metadataTypeInfo, bool isFirst = false, bool isLast = false)
        : base(id, isFirst, isLast)
    {
        ArgumentNullException.ThrowIfNull(metadataTypeInfo);
        MetadataTypeInfo = metadataTypeInfo;
    }

    /// <summary>
    /// Declares a step whose metadata is serialized by reflection with <see cref="JsonSerializerOptions.Web"/>
    /// (camelCase names). Not trimming or AOT safe: prefer the overload that takes a <see cref="JsonTypeInfo{T}"/>.
    /// </summary>
    /// <param name="id">The step id: non-empty after trimming.</param>
    /// <param name="isFirst">Whether this is the config's one first step.</param>
    /// <param name="isLast">Whether this is the config's one last step.</param>
    /// <exception cref="SupportConfigException">The id is empty or whitespace.</exception>
    [RequiresUnreferencedCode("Reflection-based JSON serialization of the metadata type; pass a JsonTypeInfo<TMetadata> instead.")]
    [RequiresDynamicCode("Reflection-based JSON serialization of the metadata type; pass a JsonTypeInfo<TMetadata> instead.")]
    public OnboardingStep(string id, bool isFirst = false, bool isLast = false)
        : this(id, (JsonTypeInfo<TMetadata>)JsonSerializerOptions.Web.GetTypeInfo(typeof(TMetadata)), isFirst, isLast)
    {
    }

    /// <summary>How <typeparamref name="TMetadata"/> is written to and read from JSON.</summary>
    public JsonTypeInfo<TMetadata> MetadataTypeInfo { get; }

    /// <inheritdoc />
    public override Type MetadataType => typeof(TMetadata);

    /// <summary>Serializes metadata to the JSON object the server stores.</summary>
    /// <param name="metadata">The metadata; <see langword="null"/> gives <see langword="null"/> (clear).</param>
    /// <returns>The JSON object, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The value does not serialize to a JSON object.</exception>
    public JsonElement? ToJson(TMetadata? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var element = JsonSerializer.SerializeToElement(metadata, MetadataTypeInfo);
        return element.ValueKind == JsonValueKind.Object
            ? element
            : throw new ArgumentException(
                $"Metadata of onboarding step \"{Id}\" must serialize to a JSON object, not {element.ValueKind}.", nameof(metadata));
    }

    /// <summary>Reads stored metadata back as <typeparamref name="TMetadata"/>.</summary>
    /// <param name="metadata">The stored JSON object, or <see langword="null"/>.</param>
    /// <returns>The metadata, or <see langword="default"/> when there is none.</returns>
    /// <exception cref="JsonException">The stored object does not fit <typeparamref name="TMetadata"/>.</exception>
    public TMetadata? FromJson(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } value ? value.Deserialize(MetadataTypeInfo) : default;
}
