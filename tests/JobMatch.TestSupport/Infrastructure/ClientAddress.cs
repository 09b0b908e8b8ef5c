using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace JobMatch.Tests.Infrastructure;

/// <summary>
/// The test server (in-process, no socket) gives requests no remote address. The sign-in and registration throttles
/// count per address in the shared database, so every in-process host of the run would be one client and share one
/// budget; this gives each host an address of its own (as each had its own counters when they lived in the process),
/// and lets a test give two hosts the same one (two nodes, one client). A real socket's address is kept.
/// </summary>
internal sealed class ClientAddressFilter(IPAddress address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= address;
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>An address in TEST-NET-2 style private space, different for each call (198.18.0.0/15, benchmarking).</summary>
    public static IPAddress NewAddress()
    {
        var n = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, 1 << 17);
        return new IPAddress([198, (byte)(18 + (n >> 16)), (byte)(n >> 8), (byte)n]);
    }
}
