using JobMatch.Operations;

namespace JobMatch.Tests.Operations;

/// <summary><c>export-key</c> seals the key-encryption key under a passphrase; <c>import-key</c> opens it, and only with that passphrase.</summary>
[Collection(OperationsCollection.Name)]
public sealed class KeyExportTests : IDisposable
{
    private const string PassphraseText = "correct horse battery staple";
    private readonly string _folder = Directory.CreateTempSubdirectory("jobmatch-key-").FullName;

    [Fact]
    public async Task ExportThenImport_RestoresTheSameKey_AndTheExportHoldsItOnlySealed()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var source = Path.Combine(_folder, "source");
        Directory.CreateDirectory(Path.Combine(source, "keys"));
        await File.WriteAllTextAsync(Path.Combine(source, "keys", "field-encryption.key"), key);
        var exported = Path.Combine(_folder, "exported.json");
        var target = Path.Combine(_folder, "target");
        var log = new StringWriter();

        Environment.SetEnvironmentVariable(Passphrase.EnvironmentVariable, PassphraseText);
        try
        {
            Assert.True(await ExportKeyCommand.RunAsync(["--out", exported, $"--JobMatch:DataDirectory={source}"], log) == 0, log.ToString());
            Assert.True(await ImportKeyCommand.RunAsync(["--from", exported, $"--JobMatch:DataDirectory={target}"], log) == 0, log.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Passphrase.EnvironmentVariable, null);
        }

        Assert.DoesNotContain(key, await File.ReadAllTextAsync(exported), StringComparison.Ordinal);
        Assert.Equal(key, (await File.ReadAllTextAsync(Path.Combine(target, "keys", "field-encryption.key"))).Trim());
    }

    [Fact]
    public void Open_Refuses_WhenPassphraseIsWrong()
    {
        var sealedFile = WrappedKeyFile.Seal([new byte[32]], ["00000000"], PassphraseText, iterations: 1000);

        var refused = Assert.Throws<OperatorException>(() => sealedFile.Open(PassphraseText + "!"));

        Assert.Contains("Wrong passphrase", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[32], sealedFile.Open(PassphraseText)[0]);
    }

    [Fact]
    public async Task ExportKey_FailsAndGeneratesNothing_WhenNoKeyExists()
    {
        var empty = Path.Combine(_folder, "empty");
        var log = new StringWriter();

        var code = await ExportKeyCommand.RunAsync(["--out", Path.Combine(_folder, "x.json"), $"--JobMatch:DataDirectory={empty}"], log);

        Assert.Equal(1, code);
        Assert.Contains("nothing to export", log.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty, "keys", "field-encryption.key")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
