using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Security;

/// <summary>One signed-in client per role (staff through the second factor) and one anonymous client.</summary>
internal sealed class RoleClients : IDisposable
{
    private readonly Dictionary<string, HttpClient> _clients = new();

    public HttpClient Anonymous { get; private init; } = null!;

    public static async Task<RoleClients> SignInAllAsync(JobMatchApp app)
    {
        var clients = new RoleClients { Anonymous = app.CreatePlainClient() };
        foreach (var role in Roles.All)
        {
            clients._clients[role] = (await app.SignedInClientAsync(role)).Client;
        }
        return clients;
    }

    /// <summary>Who to send a request as: the anonymous client for anonymous endpoints, else each admitted role.</summary>
    public IEnumerable<(string Who, HttpClient Client)> For(EndpointInfo endpoint) =>
        endpoint.Anonymous
            ? [("anonymous", Anonymous)]
            : endpoint.Roles.Select(role => (role, _clients[role]));

    public void Dispose()
    {
        Anonymous.Dispose();
        foreach (var client in _clients.Values) client.Dispose();
    }
}
