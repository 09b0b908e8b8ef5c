using System.Diagnostics;
using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using Npgsql;
using NpgsqlTypes;

namespace JobMatch.Training;

/// <summary>
/// CSV uploads by training providers: parse and check every row, binary-COPY all rows (good and bad) into the
/// staging table, show the preview, then commit with one set-based merge in one transaction — or nothing at all
/// when the file has any bad row.
/// </summary>
internal sealed class UploadStore(NpgsqlDataSource db, AuditLog audit)
{
    public const int PreviewErrorLimit = 100_000;

    /// <summary>One problem of one row: its reason key, the column (key of <see cref="UploadFormat.Columns"/>) and the value found there.</summary>
    public sealed record RowError(int Line, string Reason, string? Column = null, string? Value = null);
    public sealed record Preview(Guid Id, string Kind, string Status, int RowCount, int ErrorCount, IReadOnlyList<RowError> Errors, string? HeaderError = null);
    /// <summary>
    /// Where an upload's time went: the look-ups read from the database; the parse and checks, with the rows handed to
    /// the COPY as they come; and the rest of the COPY once the file is read (with the upload's row and the audit entry).
    /// </summary>
    public sealed record Timing(TimeSpan Lookups, TimeSpan Parse, TimeSpan Copy);

    public Timing? LastTiming { get; private set; }

    public async Task<Preview> UploadAsync(Stream file, string kind, Guid providerId, Guid userId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(ct);
        var lookups = await LookupsAsync(connection, providerId, ct);
        var looked = clock.Elapsed;
        TimeSpan parse;
        using var reader = new StreamReader(file, System.Text.Encoding.UTF8);
        var id = Guid.CreateVersion7();
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Rows go to the COPY as they are parsed: the server stores one part of the file while this process parses the
        // next, so on two cores the COPY costs little beyond the parse (issue 18, B1). A bad header parses no row, and
        // the COPY is then cancelled with the transaction.
        UploadParser.Parsed parsed;
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY upload_row (upload_id, line, reference, code, level, source, on_date, months, certified, error, seeker_id, skill_id, course_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            // Synchronous writes: the importer buffers, and 1.3 million awaited calls would cost more than the COPY.
            parsed = UploadParser.Parse(reader, kind, lookups, r =>
            {
                importer.StartRow();
                importer.Write(id, NpgsqlDbType.Uuid);
                importer.Write(r.Line, NpgsqlDbType.Integer);
                Text(importer, r.Reference);
                Text(importer, r.Code);
                Value(importer, r.Level, NpgsqlDbType.Integer);
                Text(importer, r.Source);
                Value(importer, r.OnDate, NpgsqlDbType.Date);
                Value(importer, r.Months, NpgsqlDbType.Integer);
                Value(importer, r.Certified, NpgsqlDbType.Boolean);
                Text(importer, r.Error);
                Value(importer, r.SeekerId, NpgsqlDbType.Bigint);
                Value(importer, r.SkillId, NpgsqlDbType.Integer);
                Value(importer, r.CourseId, NpgsqlDbType.Bigint);
            });
            if (parsed.HeaderError is not null)
            {
                // Disposed without CompleteAsync: Npgsql cancels the COPY; the transaction rolls back below.
                return new Preview(id, kind, "rejected", 0, 0, [], parsed.HeaderError);
            }
            parse = clock.Elapsed;
            await importer.CompleteAsync(ct);
        }

        var errors = parsed.Rows.Where(r => r.Error is not null).SelectMany(r => UploadProblems.Parse(r.Line, r.Error!)).ToList();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO upload (id, provider_id, kind, uploaded_by, row_count, error_count)
            VALUES (@id, @providerId, @kind, @userId, @rowCount, @errorCount)
            """, new { id, providerId, kind, userId, rowCount = parsed.Rows.Count, errorCount = parsed.Rows.Count(r => r.Error is not null) }, tx, cancellationToken: ct));
        await audit.WriteAsync("training_upload_previewed", $"upload:{id}", ct, userId, connection, tx);
        await tx.CommitAsync(ct);
        LastTiming = new Timing(looked, parse - looked, clock.Elapsed - parse);
        return new Preview(id, kind, "previewed", parsed.Rows.Count, parsed.Rows.Count(r => r.Error is not null), errors.Take(PreviewErrorLimit).ToList());
    }

    private static void Text(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null) importer.WriteNull();
        else importer.Write(value, NpgsqlDbType.Text);
    }

    private static void Value<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) importer.Write(v, type);
        else importer.WriteNull();
    }

    private static async Task<UploadParser.Lookups> LookupsAsync(NpgsqlConnection connection, Guid providerId, CancellationToken ct)
    {
        // Codes and both names (UploadFormat.SkillKey): a file may name skills as people know them.
        var skills = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in await connection.QueryAsync<(string Code, string NameEn, string NameBn, int Id)>(new CommandDefinition(
            "SELECT code, name_en, name_bn, id FROM skill ORDER BY id", cancellationToken: ct)))
        {
            skills[UploadFormat.SkillKey(s.Code)] = s.Id;
            skills.TryAdd(UploadFormat.SkillKey(s.NameEn), s.Id);
            skills.TryAdd(UploadFormat.SkillKey(s.NameBn), s.Id);
        }
        var courses = (await connection.QueryAsync<(string Code, long Id)>(new CommandDefinition(
            "SELECT code, id FROM course WHERE provider_id = @providerId", new { providerId }, cancellationToken: ct)))
            .ToDictionary(s => s.Code, s => s.Id, StringComparer.OrdinalIgnoreCase);
        var trainees = (await connection.QueryAsync<(string Number, long Id)>(new CommandDefinition(
            $"SELECT tn.number, s.id {TraineeQueries.Trainees} AND e.provider_id = @providerId", new { providerId }, cancellationToken: ct)))
            .ToDictionary(s => s.Number, s => s.Id);
        return new UploadParser.Lookups(skills, courses, trainees, DateOnly.FromDateTime(DateTime.UtcNow));
    }
}
