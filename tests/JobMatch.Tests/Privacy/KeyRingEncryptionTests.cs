using System.Net;
using System.Xml.Linq;
using Dapper;
using JobMatch.Identity;
using JobMatch.Privacy;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Privacy;

/// <summary>
/// The Data Protection key ring (what signs cookies and antiforgery tokens) is stored encrypted with the KEK, so a
/// dump of <c>data_protection_key</c> holds no key material anyone could use to forge a sign-in.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KeyRingEncryptionTests(PostgresFixture database)
{
    [Fact]
    public async Task DataProtectionKeyTable_HoldsNoPlaintextKey_AndTheKekOpensEachKey()
    {
        await using var app = new JobMatchApp(database);
        var (client, _) = await app.SignedInClientAsync(Roles.Employer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        await using var c = await database.DataSource.OpenConnectionAsync();
        var rows = (await c.QueryAsync<string>("SELECT xml FROM data_protection_key")).ToList();

        Assert.NotEmpty(rows);
        var keks = app.Services.GetRequiredService<KeyEncryptionKeys>();
        foreach (var xml in rows)
        {
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            var element = XElement.Parse(xml);
            if (element.Name.LocalName != "key") continue; // a revocation carries no secret
            var sealedKey = element.Descendants(KeyRingEncryptor.ElementName).Single();
            var opened = KeyRingEncryptor.Decrypt(sealedKey, keks);
            Assert.Equal("masterKey", opened.Name.LocalName);
        }
    }

    [Fact]
    public void Decrypt_Throws_WhenTheKekIsNotConfigured()
    {
        var sealedKey = new KeyRingEncryptor(new KeyEncryptionKeys(new byte[32], [])).Encrypt(new XElement("masterKey", "secret")).EncryptedElement;
        var other = new KeyEncryptionKeys(Enumerable.Repeat((byte)7, 32).ToArray(), []);

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => KeyRingEncryptor.Decrypt(sealedKey, other));
        Assert.Equal("secret", KeyRingEncryptor.Decrypt(sealedKey, new KeyEncryptionKeys(Enumerable.Repeat((byte)7, 32).ToArray(), [new byte[32]])).Value);
    }
}
