using System.Net;
using System.Net.Sockets;
using Cossistant.Client.Testing;
using Microsoft.AspNetCore.Connections;
using static Cossistant.Client.IntegrationTests.TestingKit.KitSupport;

namespace Cossistant.Client.IntegrationTests.TestingKit;

/// <summary>
/// <see cref="CossistantEmulator.StartAsync"/> on a port another socket holds: the documented <see cref="IOException"/>
/// (an <see cref="AddressInUseException"/> inside), which the standalone emulator turns into its one-line message.
/// </summary>
public sealed class EmulatorStartTests
{
    [Fact]
    public async Task StartAsync_PortInUse_ThrowsIOExceptionWithAddressInUseInside()
    {
        using var occupied = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupied.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupied.Listen();
        var port = ((IPEndPoint)occupied.LocalEndPoint!).Port;

        var refused = await Assert.ThrowsAsync<IOException>(() => CossistantEmulator.StartAsync(port, cancellationToken: Ct));

        Assert.IsType<AddressInUseException>(refused.InnerException);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
    }
}
