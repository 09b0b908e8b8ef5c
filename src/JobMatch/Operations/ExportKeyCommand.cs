using JobMatch.Privacy;

namespace JobMatch.Operations;

/// <summary>
/// <c>export-key --out FILE</c>: writes the configured key-encryption keys (current and previous) sealed under a
/// passphrase the operator types (<see cref="Passphrase"/>), to be kept apart from the backups. <c>import-key</c>
/// unwraps it on the machine a backup is restored to.
/// </summary>
internal static class ExportKeyCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter log, CancellationToken ct = default) =>
        await OperatorCommand.RunAsync(log, async () =>
        {
            var options = new OperatorArgs(args, ["out"], []);
            var output = options.RequiredPath("out");
            var section = options.Configuration.GetSection(KeyEncryptionKeys.Section);
            if (string.IsNullOrWhiteSpace(section["Key"]) && string.IsNullOrWhiteSpace(section["KeyFile"])
                && !File.Exists(EncryptionKeyCheck.DefaultKeyFile(options.Configuration)))
            {
                throw new OperatorException("No key-encryption key is configured (Encryption:Key or Encryption:KeyFile) and the data folder has " +
                    $"no key file ({EncryptionKeyCheck.DefaultKeyFile(options.Configuration)}): there is nothing to export.");
            }
            var keys = KeyEncryptionKeys.FromConfiguration(options.Configuration, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });
            var passphrase = Passphrase.Read(log, confirm: true);
            var sealedFile = WrappedKeyFile.Seal(keys.All.Select(k => k.Key).ToList(), keys.All.Select(k => k.Id).ToList(), passphrase);
            await KeyFiles.WriteAsync(output, sealedFile.ToJson(), overwrite: false, ct);
            log.WriteLine($"Key {string.Join(", ", sealedFile.KeyIds)} written to {output}, sealed under your passphrase. Keep it (and the passphrase) " +
                "apart from the backups: offline, or with a different custodian.");
        });
}

/// <summary><c>import-key --from FILE [--out KEYFILE] [--force]</c>: unwraps an exported key into a key file (default: the data folder's).</summary>
internal static class ImportKeyCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter log, CancellationToken ct = default) =>
        await OperatorCommand.RunAsync(log, async () =>
        {
            var options = new OperatorArgs(args, ["from", "out"], ["force"]);
            var input = options.RequiredPath("from");
            if (!File.Exists(input)) throw new OperatorException($"No exported key at {input}.");
            var output = options.OptionalPath("out") ?? EncryptionKeyCheck.DefaultKeyFile(options.Configuration);
            var keys = WrappedKeyFile.Read(input).Open(Passphrase.Read(log, confirm: false));
            await KeyFiles.WriteAsync(output, System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(keys[0])), options.Flag("force"), ct);
            log.WriteLine($"Key written to {output}.");
            for (var i = 1; i < keys.Count; i++)
            {
                var previous = $"{output}.previous-{i}";
                await KeyFiles.WriteAsync(previous, System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(keys[i])), options.Flag("force"), ct);
                log.WriteLine($"Previous key written to {previous}: list it under Encryption:PreviousKeyFiles until every data key is rewrapped.");
            }
        });
}

internal static class KeyFiles
{
    /// <summary>Writes a key file readable by its owner only; an existing file is kept unless <paramref name="overwrite"/>.</summary>
    public static async Task WriteAsync(string path, byte[] content, bool overwrite, CancellationToken ct)
    {
        if (File.Exists(path) && !overwrite) throw new OperatorException($"{path} already exists; not overwriting it (--force replaces it).");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(content, ct);
    }
}
