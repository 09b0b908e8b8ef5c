using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace JobMatch.Privacy;

/// <summary>
/// Envelope encryption for personal fields (SECURITY.md R20): random data keys, stored in <c>encryption_key</c>
/// only wrapped (AES-GCM) by the key-encryption key from configuration. The ring is loaded once; a data key wrapped
/// only by a previous KEK is rewrapped under the current one, so the old KEK can be retired afterwards.
/// </summary>
internal sealed class FieldEncryption(NpgsqlDataSource db, KeyEncryptionKeys keks)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FieldKeyRing? _ring;

    public async Task<FieldKeyRing> RingAsync(CancellationToken ct)
    {
        if (_ring is { } ring) return ring;
        await _gate.WaitAsync(ct);
        try
        {
            return _ring ??= await LoadAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a new data key for new values; values under older keys keep decrypting.</summary>
    public async Task<string> RotateDataKeyAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var id = await InsertNewKeyAsync(connection, "data", ct);
            _ring = await LoadAsync(ct);
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string KekId { get; set; } = "";
        public string Purpose { get; set; } = "";
        public byte[] Wrapped { get; set; } = [];
        public DateTime CreatedAt { get; set; }
    }

    private async Task<FieldKeyRing> LoadAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // One process at a time creates the first keys, so two app nodes never start two different index keys.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(7301001)", cancellationToken: ct));
        try
        {
            var rows = await ReadAsync(connection, ct);
            if (!rows.Any(r => r.Purpose == "index")) await InsertNewKeyAsync(connection, "index", ct);
            if (!rows.Any(r => r.Purpose == "data")) await InsertNewKeyAsync(connection, "data", ct);
            rows = await ReadAsync(connection, ct);

            var keys = new Dictionary<string, (byte[] Key, string Purpose, DateTime Created)>();
            foreach (var row in rows)
            {
                if (keys.ContainsKey(row.Id) || keks.All.FirstOrDefault(k => k.Id == row.KekId) is not { } kek) continue;
                keys[row.Id] = (Unwrap(kek.Key, row.Wrapped, row.Id), row.Purpose, row.CreatedAt);
            }
            foreach (var (id, key) in keys.Where(k => !rows.Any(r => r.Id == k.Key && r.KekId == keks.Current.Id)))
            {
                await InsertAsync(connection, id, key.Purpose, key.Key, ct, key.Created);
            }
            var data = keys.Where(k => k.Value.Purpose == "data").OrderByDescending(k => k.Value.Created).ThenBy(k => k.Key).ToList();
            var index = keys.Where(k => k.Value.Purpose == "index").OrderBy(k => k.Value.Created).ThenBy(k => k.Key).ToList();
            if (data.Count == 0 || index.Count == 0)
            {
                throw new CryptographicException("The configured encryption key opens none of the stored data keys.");
            }
            return new FieldKeyRing(data.ToDictionary(k => k.Key, k => k.Value.Key), data[0].Key, index[0].Value.Key);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(7301001)", cancellationToken: CancellationToken.None));
        }
    }

    private async Task<List<Row>> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var ids = keks.All.Select(k => k.Id).ToArray();
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            // Aliased: the key ring is also opened outside the app (verbs, tests), where Dapper's snake_case mapping may be off.
            "SELECT id, kek_id AS KekId, purpose, wrapped, created_at AS CreatedAt FROM encryption_key WHERE kek_id = ANY(@ids) ORDER BY created_at",
            new { ids }, cancellationToken: ct))).ToList();
    }

    private async Task<string> InsertNewKeyAsync(NpgsqlConnection connection, string purpose, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        await InsertAsync(connection, id, purpose, RandomNumberGenerator.GetBytes(32), ct);
        return id;
    }

    /// <summary>Stores a key wrapped by the current KEK; a rewrapped key keeps its creation time (it orders rotation).</summary>
    private Task InsertAsync(NpgsqlConnection connection, string id, string purpose, byte[] key, CancellationToken ct, DateTime? createdAt = null) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO encryption_key (id, kek_id, purpose, wrapped, created_at)
            VALUES (@id, @kekId, @purpose, @wrapped, COALESCE(@createdAt, clock_timestamp())) ON CONFLICT DO NOTHING
            """,
            new { id, kekId = keks.Current.Id, purpose, wrapped = Wrap(keks.Current.Key, key, id), createdAt }, cancellationToken: ct));

    private static byte[] Wrap(byte[] kek, byte[] key, string id)
    {
        var output = new byte[12 + 16 + key.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(kek, 16);
        aes.Encrypt(output.AsSpan(0, 12), key, output.AsSpan(28), output.AsSpan(12, 16), System.Text.Encoding.UTF8.GetBytes(id));
        return output;
    }

    private static byte[] Unwrap(byte[] kek, byte[] wrapped, string id)
    {
        var key = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(kek, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), key, System.Text.Encoding.UTF8.GetBytes(id));
        return key;
    }
}

internal static class PrivacyExtensions
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => KeyEncryptionKeys.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        builder.Services.AddSingleton<FieldEncryption>();
        builder.Services.AddHealthChecks().AddCheck<KeyRingHealthCheck>("keyring", tags: [Web.Health.ReadyTag]);
        return builder;
    }
}
