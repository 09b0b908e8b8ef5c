using System.Text.Json;

namespace JobMatch.Operations;

/// <summary>
/// What a backup holds, written first in the archive as <c>jobmatch-backup.json</c>: when it was taken, the
/// migrations applied, each table's row count in the dump's own snapshot (so a restore can be checked), the ids of
/// the key-encryption keys the data keys are wrapped under (an id, never a key: it tells the operator which key file
/// this backup needs) and the data-folder files it carries.
/// </summary>
internal sealed record BackupManifest(
    string Format,
    DateTimeOffset CreatedAt,
    string Database,
    IReadOnlyList<string> Migrations,
    IReadOnlyDictionary<string, long> RowCounts,
    IReadOnlyList<string> KeyEncryptionKeyIds,
    IReadOnlyList<string> Files)
{
    public const string CurrentFormat = "jobmatch-backup-v1";
    public const string EntryName = "jobmatch-backup.json";
    public const string DumpEntryName = "database.pgdump";
    public const string FilesPrefix = "files/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static BackupManifest FromJson(Stream stream) =>
        JsonSerializer.Deserialize<BackupManifest>(stream, Json) is { Format: CurrentFormat } manifest
            ? manifest
            : throw new OperatorException("Not a JobMatch backup (its manifest is missing or of an unknown format).");
}
