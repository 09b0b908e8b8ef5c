using Dapper;
using JobMatch.Audit;
using JobMatch.Seekers;
using Npgsql;

namespace JobMatch.Training;

/// <summary>
/// A case worker enrols a seeker with a training provider, recording how the seeker agreed. The enrolment is what
/// lets the provider see the trainee (reference, first name, skills); ending it (or erasure) takes that away.
/// </summary>
internal sealed class EnrolmentQueries(NpgsqlDataSource db, AuditLog audit)
{
    public sealed class EnrolmentRow
    {
        public long Id { get; set; }
        public Guid ProviderId { get; set; }
        public string ProviderName { get; set; } = "";
        public DateTime EnrolledAt { get; set; }
        public DateTime? EndedAt { get; set; }
    }

    public sealed record Provider(Guid Id, string Name);

    public async Task<IReadOnlyList<Provider>> ProvidersAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid Id, string Name)>(new CommandDefinition(
            "SELECT id, name FROM organisation WHERE kind = 'training_provider' ORDER BY name", cancellationToken: ct));
        return rows.Select(r => new Provider(r.Id, r.Name)).ToList();
    }

    public async Task<IReadOnlyList<EnrolmentRow>> ListAsync(long seekerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<EnrolmentRow>(new CommandDefinition(
            """
            SELECT e.id, e.provider_id, o.name AS provider_name, e.enrolled_at, e.ended_at
            FROM enrolment e JOIN organisation o ON o.id = e.provider_id
            WHERE e.seeker_id = @seekerId ORDER BY e.enrolled_at DESC
            """, new { seekerId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<Dictionary<string, string[]>> EnrolAsync(long seekerId, string reference, Guid providerId, string consentMethod, Guid caseWorkerId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SeekerValidation.Methods.Contains(consentMethod)) errors["consentMethod"] = ["Use in_person, by_phone, online or by_case_worker."];
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM organisation WHERE id = @providerId AND kind = 'training_provider')", new { providerId }, cancellationToken: ct)))
        {
            errors["providerId"] = ["Unknown training provider."];
        }
        if (errors.Count > 0) return errors;
        await using var tx = await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO enrolment (seeker_id, provider_id, consent_method, enrolled_by) VALUES (@seekerId, @providerId, @consentMethod, @caseWorkerId)
            ON CONFLICT (seeker_id, provider_id) WHERE ended_at IS NULL DO NOTHING
            """, new { seekerId, providerId, consentMethod, caseWorkerId }, tx, cancellationToken: ct));
        // The provider's own number for this trainee: made once, kept across re-enrolments.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO trainee_number (provider_id, seeker_id) VALUES (@providerId, @seekerId) ON CONFLICT DO NOTHING",
            new { seekerId, providerId }, tx, cancellationToken: ct));
        if (inserted > 0) await audit.WriteAsync("seeker_enrolled", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        return errors;
    }

    public async Task<bool> EndAsync(long seekerId, string reference, long enrolmentId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var ended = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE enrolment SET ended_at = now() WHERE id = @enrolmentId AND seeker_id = @seekerId AND ended_at IS NULL",
            new { enrolmentId, seekerId }, cancellationToken: ct));
        if (ended > 0) await audit.WriteAsync("seeker_enrolment_ended", SeekerReference.Subject(reference), ct, connection: connection);
        return ended > 0;
    }
}
