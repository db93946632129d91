namespace Cossistant.Client.Blazor.Tests.Infrastructure;

/// <summary>Typed metadata of the workspace step (serialized through <see cref="TestJsonContext"/>).</summary>
internal sealed record WorkspaceMetadata(string WorkspaceName, int Seats);
