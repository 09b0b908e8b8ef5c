using System.Net;
using System.Security.Cryptography;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Privacy;

/// <summary>
/// F10: a second node with another key-encryption key, or none (so it would make one up), refuses to start with a
/// message that says what to fix, instead of issuing cookies the first node cannot read.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KeyRingFaultTests(PostgresFixture database)
{
    [Theory]
    [InlineData("another key")]
    [InlineData("no key")]
    public async Task SecondNode_RefusesToStart_WhenItsKeyEncryptionKeyDiffers(string kind)
    {
        await using (var first = new JobMatchApp(database))
        {
            // The first node writes the key ring: rendering a form makes an antiforgery token, which needs a key.
            using var client = first.CreatePlainClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        }
        var key = kind == "no key" ? "" : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var second = new JobMatchApp(database, new Dictionary<string, string?> { ["Encryption:Key"] = key });

        var error = Assert.ThrowsAny<Exception>(() => second.Services);

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("will not start", messages);
        Assert.Contains("Encryption:Key", messages);
    }

    [Fact]
    public async Task SecondNode_Starts_WhenItHasTheSameKeyEncryptionKey()
    {
        await using (var first = new JobMatchApp(database))
        {
            using var client = first.CreatePlainClient();
            await client.GetAsync("/account/login");
        }
        await using var second = new JobMatchApp(database);

        using var again = second.CreatePlainClient();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/account/login")).StatusCode);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException) yield return e;
    }
}
