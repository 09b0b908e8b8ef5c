using Dapper;
using JobMatch.Database;
using Npgsql;

namespace JobMatch.Privacy;

/// <summary>
/// Does the configured key-encryption key open the data keys stored in this database? After a restore without the
/// right key file the answer is no, and starting anyway would be worse than not starting: personal fields would not
/// decrypt, and new ones would be written under fresh keys, mixing two key rings in one database. So start-up is
/// refused with a message saying which key is needed and where to put it (and a new key is never generated for a
/// database that already has data keys).
/// </summary>
internal static class EncryptionKeyCheck
{
    /// <summary>Null when the key is right (or the database holds no data keys yet); otherwise what the operator must do.</summary>
    public static async Task<string?> ProblemAsync(NpgsqlConnection connection, IConfiguration configuration, CancellationToken ct)
    {
        var stored = await StoredKeyIdsAsync(connection, ct);
        if (stored.Count == 0) return null;

        var needed = string.Join(" or ", stored);
        var defaultFile = DefaultKeyFile(configuration);
        KeyEncryptionKeys? keys;
        try
        {
            keys = ConfiguredKeys(configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return $"the configured key-encryption key cannot be read ({e.Message}); this database needs key {needed}.";
        }
        if (keys is null)
        {
            return $"this database's personal data is encrypted under key-encryption key {needed}, and no key is configured. Copy the key " +
                $"file of the installation it came from to {defaultFile} (or set Encryption:KeyFile), or unwrap an exported key with " +
                "'import-key --from FILE'. JobMatch will not make a new key for a database that already has encrypted data.";
        }
        var section = configuration.GetSection(KeyEncryptionKeys.Section);
        var configured = !string.IsNullOrWhiteSpace(section["Key"]) || !string.IsNullOrWhiteSpace(section["KeyFile"]);
        if (keys.All.Any(k => stored.Contains(k.Id))) return null;
        var where = configured ? "configured (Encryption:Key / Encryption:KeyFile)" : $"in {defaultFile}";
        return $"the key-encryption key {where} has id {string.Join(", ", keys.All.Select(k => k.Id))}, but this database's data keys are " +
            $"wrapped under {needed}. Put the key file of the installation this database came from in its place (or list the new key " +
            "first and the old one under Encryption:PreviousKeyFiles to rotate).";
    }

    /// <summary>
    /// The keys configured (<c>Encryption:Key</c>/<c>KeyFile</c>), else the data folder's key file when it exists, else null:
    /// never a newly generated key.
    /// </summary>
    public static KeyEncryptionKeys? ConfiguredKeys(IConfiguration configuration)
    {
        var section = configuration.GetSection(KeyEncryptionKeys.Section);
        var production = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" };
        if (!string.IsNullOrWhiteSpace(section["Key"]) || !string.IsNullOrWhiteSpace(section["KeyFile"]))
        {
            return KeyEncryptionKeys.FromConfiguration(configuration, production);
        }
        var defaultFile = DefaultKeyFile(configuration);
        if (!File.Exists(defaultFile)) return null;
        var withFile = new ConfigurationBuilder().AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{KeyEncryptionKeys.Section}:KeyFile"] = defaultFile }).Build();
        return KeyEncryptionKeys.FromConfiguration(withFile, production);
    }

    /// <summary>The ids of the key-encryption keys this database's data keys are wrapped under (none before the first start).</summary>
    public static async Task<IReadOnlyList<string>> StoredKeyIdsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT to_regclass('public.encryption_key') IS NOT NULL", cancellationToken: ct))
            ? (await connection.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT kek_id FROM encryption_key ORDER BY 1", cancellationToken: ct))).ToList()
            : [];

    public static string DefaultKeyFile(IConfiguration configuration) => Path.Combine(DataDirectory.Resolve(configuration), "keys", "field-encryption.key");
}
