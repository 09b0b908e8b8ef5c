using System.Security.Cryptography;
using JobMatch.Privacy;
using Microsoft.Extensions.Configuration;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Privacy;

[Collection(PostgresCollection.Name)]
public sealed class FieldEncryptionTests(PostgresFixture database)
{
    private static KeyEncryptionKeys Keks(byte[] current, params byte[][] previous) => new(current, previous);

    [Fact]
    public async Task Value_RoundTrips_AndCarriesVersionAndKeyId()
    {
        var ring = await new FieldEncryption(database.DataSource, Keks(RandomNumberGenerator.GetBytes(32))).RingAsync(CancellationToken.None);

        var value = ring.Encrypt("Rahima Begum", "seeker.full_name");

        Assert.StartsWith($"v2:{ring.CurrentKeyId}:", value);
        Assert.DoesNotContain("Rahima", value);
        Assert.Equal("Rahima Begum", ring.Decrypt(value, "seeker.full_name"));
        Assert.NotEqual(value, ring.Encrypt("Rahima Begum", "seeker.full_name")); // random nonce
    }

    [Fact]
    public async Task Decrypt_Throws_WhenAByteIsChangedOrTheFieldDiffers()
    {
        var ring = await new FieldEncryption(database.DataSource, Keks(RandomNumberGenerator.GetBytes(32))).RingAsync(CancellationToken.None);
        var value = ring.Encrypt("+8801712345678", "seeker.phone");
        var parts = value.Split(':');
        var bytes = Convert.FromBase64String(parts[2]);
        bytes[^1] ^= 0x01;
        var tampered = $"{parts[0]}:{parts[1]}:{Convert.ToBase64String(bytes)}";

        Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt(tampered, "seeker.phone"));
        Assert.ThrowsAny<CryptographicException>(() => ring.Decrypt(value, "seeker.email"));
    }

    [Fact]
    public async Task Rotation_OldValuesStillDecrypt_NewValuesUseNewKey()
    {
        var kekA = RandomNumberGenerator.GetBytes(32);
        var kekB = RandomNumberGenerator.GetBytes(32);
        var encryption = new FieldEncryption(database.DataSource, Keks(kekA));
        var ring = await encryption.RingAsync(CancellationToken.None);
        var old = ring.Encrypt("old value", "seeker.address");
        var oldIndex = ring.BlindIndex("+8801712345678", "seeker.phone");

        var newKeyId = await encryption.RotateDataKeyAsync(CancellationToken.None);
        var rotated = await encryption.RingAsync(CancellationToken.None);
        // The key-encryption key rotates too: B is current, A only reads (and its data keys get rewrapped under B).
        var afterKek = await new FieldEncryption(database.DataSource, Keks(kekB, kekA)).RingAsync(CancellationToken.None);
        var onlyB = await new FieldEncryption(database.DataSource, Keks(kekB)).RingAsync(CancellationToken.None);

        Assert.Equal(newKeyId, rotated.CurrentKeyId);
        Assert.StartsWith($"v2:{newKeyId}:", rotated.Encrypt("new value", "seeker.address"));
        Assert.Equal("old value", rotated.Decrypt(old, "seeker.address"));
        Assert.Equal("old value", afterKek.Decrypt(old, "seeker.address"));
        Assert.Equal("old value", onlyB.Decrypt(old, "seeker.address"));
        Assert.Equal(oldIndex, onlyB.BlindIndex("+8801712345678", "seeker.phone"));
    }

    [Fact]
    public void KeyFile_IsGeneratedWithOwnerOnlyMode_WhenNoKeyConfigured()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jobmatch-keys-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JobMatch:DataDirectory"] = folder }).Build();
            var environment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing" };

            var first = KeyEncryptionKeys.FromConfiguration(configuration, environment);
            var second = KeyEncryptionKeys.FromConfiguration(configuration, environment);

            var file = Path.Combine(folder, "keys", "field-encryption.key");
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(first.Current.Id, second.Current.Id);
            Assert.Throws<InvalidOperationException>(() => KeyEncryptionKeys.FromConfiguration(configuration,
                new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
