using Dapper;
using JobMatch.Employers;
using Npgsql;

namespace JobMatch.Chambers;

/// <summary>
/// What a chamber admin may read: the body they belong to, the employers claiming membership of it, those members'
/// vacancies and counts. Every read takes the caller's body; an employer of another body is simply not found.
/// </summary>
internal sealed class ChamberQueries(NpgsqlDataSource db, EmployerQueries employers)
{
    public sealed record Body(Guid Id, string Name, string Membership);

    /// <summary>A member's vacancy as the chamber sees it (a class: Dapper fills timestamptz into a DateTimeOffset property, not a constructor).</summary>
    public sealed class MemberVacancy
    {
        public long Id { get; init; }
        public string? TitleEn { get; init; }
        public string? TitleBn { get; init; }
        public string Status { get; init; } = "";
        public int Openings { get; init; }
        public DateTimeOffset? PublishedAt { get; init; }
    }

    public sealed record Counts(long Members, long Verified, long Pending, long Suspended, long OpenVacancies, long OpenPositions);

    /// <summary>The caller's membership body; null when the organisation is not an active body.</summary>
    public async Task<Body?> BodyAsync(Guid organisationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Body>(new CommandDefinition(
            """
            SELECT id, name, membership FROM organisation
            WHERE id = @organisationId AND kind = 'membership_body' AND deactivated_at IS NULL
            """, new { organisationId }, cancellationToken: ct));
    }

    /// <summary>The body's members by status (null: all), oldest first, as the verification queue is worked.</summary>
    public Task<IReadOnlyList<EmployerRecord>> MembersAsync(Body body, string? status, CancellationToken ct) =>
        employers.ListAsync(status, body.Membership, ct);

    /// <summary>One member; null for an unknown id and for another body's employer alike (the caller answers 404).</summary>
    public async Task<EmployerRecord?> MemberAsync(Body body, Guid organisationId, CancellationToken ct) =>
        await employers.FindAsync(organisationId, ct) is { } e && e.Membership == body.Membership ? e : null;

    public async Task<IReadOnlyList<MemberVacancy>> VacanciesAsync(Guid employerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<MemberVacancy>(new CommandDefinition(
            """
            SELECT id, title_en, title_bn, status, openings, published_at FROM vacancy
            WHERE employer_id = @employerId
            ORDER BY status = 'open' DESC, coalesce(published_at, created_at) DESC
            LIMIT 200
            """, new { employerId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Members by status and their open vacancies and positions: business figures, not people, so never suppressed.</summary>
    public async Task<Counts> CountsAsync(Body body, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<Counts>(new CommandDefinition(
            """
            SELECT count(*) AS members,
                   count(*) FILTER (WHERE e.status = 'verified') AS verified,
                   count(*) FILTER (WHERE coalesce(e.status, 'pending') = 'pending') AS pending,
                   count(*) FILTER (WHERE e.status = 'suspended') AS suspended,
                   coalesce(sum(v.open_vacancies), 0)::bigint AS open_vacancies,
                   coalesce(sum(v.open_positions), 0)::bigint AS open_positions
            FROM organisation o
            LEFT JOIN employer e ON e.organisation_id = o.id
            LEFT JOIN LATERAL (
                SELECT count(*) AS open_vacancies, sum(openings) AS open_positions
                FROM vacancy WHERE employer_id = o.id AND status = 'open'
            ) v ON true
            WHERE o.kind = 'employer' AND o.membership = @membership
            """, new { membership = body.Membership }, cancellationToken: ct));
    }
}
