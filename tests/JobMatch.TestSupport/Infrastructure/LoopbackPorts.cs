using System.Net;
using System.Net.Sockets;

namespace JobMatch.Tests.Infrastructure;

/// <summary>Free TCP ports on the loopback address, for servers a test or benchmark starts (SMTP sink, an app on Kestrel).</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on now (the system's pick; free until someone else takes it).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
