using System.CommandLine;
using JobMatch.Commands;
using JobMatch.Privacy;

namespace JobMatch.Operations;

/// <summary>
/// <c>export-key --out FILE</c>: writes the configured key-encryption keys (current and previous) sealed under a
/// passphrase the operator types (<see cref="Passphrase"/>), to be kept apart from the backups. <c>import-key</c>
/// unwraps it on the machine a backup is restored to.
/// </summary>
internal static class ExportKeyCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The file to write the sealed key to (kept apart from the backups).", Required = true };
        var command = new Command("export-key", "Writes the key-encryption key sealed under a passphrase you type (or JOBMATCH_KEY_PASSPHRASE).") { output }
            .WithSettings();
        command.SetOperatorAction(async (result, configuration, log, ct) =>
        {
            var path = Verb.OutputPath(result.GetValue(output)!);
            var keys = EncryptionKeyCheck.ConfiguredKeys(configuration) ?? throw new OperatorException(
                "No key-encryption key is configured (Encryption:Key or Encryption:KeyFile) and the data folder has no key file " +
                $"({EncryptionKeyCheck.DefaultKeyFile(configuration)}): there is nothing to export.");
            var passphrase = Passphrase.Read(log, confirm: true);
            var sealedFile = WrappedKeyFile.Seal(keys.All.Select(k => k.Key).ToList(), keys.All.Select(k => k.Id).ToList(), passphrase);
            await KeyFiles.WriteAsync(path, sealedFile.ToJson(), overwrite: false, ct);
            log.WriteLine($"Key {string.Join(", ", sealedFile.KeyIds)} written to {path}, sealed under your passphrase. Keep it (and the passphrase) " +
                "apart from the backups: offline, or with a different custodian.");
        });
        return command;
    }

    public static Task<int> RunAsync(string[] args, TextWriter log) => OperatorCommand.RunAsync(Create(), args, log);
}

/// <summary><c>import-key --from FILE [--out KEYFILE] [--force]</c>: unwraps an exported key into a key file (default: the data folder's).</summary>
internal static class ImportKeyCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The file export-key wrote.", Required = true };
        var output = new Option<string>("--out") { Description = "The key file to write (default: keys/field-encryption.key in the data folder)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file." };
        var command = new Command("import-key", "Unseals an exported key-encryption key into a key file.") { from, output, force }.WithSettings();
        command.SetOperatorAction(async (result, configuration, log, ct) =>
        {
            var input = Verb.InputPath(result.GetValue(from)!);
            if (!File.Exists(input)) throw new OperatorException($"No exported key at {input}.");
            var path = result.GetValue(output) is { Length: > 0 } given ? Verb.OutputPath(given) : EncryptionKeyCheck.DefaultKeyFile(configuration);
            var overwrite = result.GetValue(force);
            var keys = WrappedKeyFile.Read(input).Open(Passphrase.Read(log, confirm: false));
            await KeyFiles.WriteAsync(path, System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(keys[0])), overwrite, ct);
            log.WriteLine($"Key written to {path}.");
            for (var i = 1; i < keys.Count; i++)
            {
                var previous = $"{path}.previous-{i}";
                await KeyFiles.WriteAsync(previous, System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(keys[i])), overwrite, ct);
                log.WriteLine($"Previous key written to {previous}: list it under Encryption:PreviousKeyFiles until every data key is rewrapped.");
            }
        });
        return command;
    }

    public static Task<int> RunAsync(string[] args, TextWriter log) => OperatorCommand.RunAsync(Create(), args, log);
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
