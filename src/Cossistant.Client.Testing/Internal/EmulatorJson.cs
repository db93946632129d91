using System.Text.Json.Serialization;

namespace Cossistant.Client.Testing.Internal;

/// <summary>Source-generated JSON for the emulator's own scalars.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class EmulatorJson : JsonSerializerContext;
