using JobMatch.Vacancies;
using JobMatch.Web;
using JobMatch.Database;
using Dapper;
using Npgsql;

namespace JobMatch.Employers;

/// <summary>What became of a save of the employer's details; Invalid: the reasons are in its field errors.</summary>
internal enum SaveResult { Saved, NotFound, Conflict, Invalid }

/// <summary>Reading employers and saving their profile. Vetting (verify, suspend) is in <see cref="EmployerVetting"/>.</summary>
internal sealed class EmployerQueries(NpgsqlDataSource db, Taxonomy taxonomy)
{
    // One statement for one employer, a status list, or all: filters are parameters, never pasted into the SQL (R17).
    private const string Select = """
        SELECT o.id AS organisation_id, o.name, o.membership, e.membership_number, e.trade_licence_number, e.contact_person,
               e.contact_email, e.contact_phone, e.address, e.sector_code, coalesce(e.status, 'pending') AS status,
               e.suspended_reason, e.verified_at, e.verified_by, coalesce(e.charges_recruitment_fee, false) AS charges_recruitment_fee,
               coalesce(e.preferred_language, 'en') AS preferred_language, coalesce(e.version, 0) AS version,
               o.created_at, coalesce(e.trade_licence_number IS NOT NULL, false) AS has_details, e.upazila_code
        FROM organisation o
        LEFT JOIN employer e ON e.organisation_id = o.id
        WHERE o.kind = 'employer'
          AND (@organisationId::uuid IS NULL OR o.id = @organisationId)
          AND (@status::text IS NULL OR coalesce(e.status, 'pending') = @status)
          AND (@membership::text IS NULL OR o.membership = @membership)
        ORDER BY o.created_at
        LIMIT 500
        """;

    public async Task<EmployerRecord?> FindAsync(Guid organisationId, CancellationToken ct)
    {
        await using var read = await EmployerReads.BeginAsync(db, ct); // R4: as jm_employer_api (admins read it too: it needs no more)
        var connection = read.Connection;
        return await connection.QuerySingleOrDefaultAsync<EmployerRecord>(new CommandDefinition(
            Select, new { organisationId = (Guid?)organisationId, status = (string?)null, membership = (string?)null }, cancellationToken: ct));
    }

    /// <summary>Employers by status, oldest first (the verification queue is worked in arrival order).</summary>
    public Task<IReadOnlyList<EmployerRecord>> ListAsync(string? status, CancellationToken ct) => ListAsync(status, null, ct);

    /// <summary>The same, only the employers claiming one membership body (a chamber admin's members).</summary>
    public async Task<IReadOnlyList<EmployerRecord>> ListAsync(string? status, string? membership, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<EmployerRecord>(new CommandDefinition(
            Select, new { organisationId = (Guid?)null, status, membership }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Employers a case worker may name in a do-not-match rule: the verified ones (the employers whose vacancies reach
    /// seekers), plus any already named in the rule being edited, by name only.
    /// </summary>
    public async Task<IReadOnlyList<EmployerChoice>> ChoicesAsync(Guid[] alsoInclude, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<EmployerChoice>(new CommandDefinition(
            """
            SELECT o.id, o.name
            FROM organisation o
            LEFT JOIN employer e ON e.organisation_id = o.id
            WHERE o.kind = 'employer' AND (e.status = 'verified' OR o.id = ANY(@alsoInclude))
            ORDER BY o.name
            LIMIT 1000
            """, new { alsoInclude }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Creates or updates the employer's details. Changing what the admin checked (name, membership, membership
    /// number, trade licence) on a verified employer sends it back to the verification queue. The one operation behind
    /// the employer's profile page and the API: the input is checked here (reasons in <paramref name="errors"/>).
    /// </summary>
    public async Task<(SaveResult Result, long Version)> SaveProfileAsync(Guid organisationId, EmployerInput input, FieldErrors errors, CancellationToken ct)
    {
        if (EmployerValidator.Validate(input, await taxonomy.LoadAsync(ct), errors) is not { } v) return (SaveResult.Invalid, 0);
        var version = input.Version;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM organisation WHERE id = @organisationId FOR UPDATE", new { organisationId }, tx, cancellationToken: ct));
        var current = await connection.QuerySingleOrDefaultAsync<EmployerRecord>(new CommandDefinition(
            Select, new { organisationId = (Guid?)organisationId, status = (string?)null, membership = (string?)null }, tx, cancellationToken: ct));
        if (current is null) return (SaveResult.NotFound, 0);
        if (current.HasDetails && version != current.Version) return (SaveResult.Conflict, current.Version);

        var identityChanged = current.Name != v.Name || current.Membership != v.Membership
            || current.MembershipNumber != v.MembershipNumber || current.TradeLicenceNumber != v.TradeLicenceNumber;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organisation SET name = @Name, membership = @Membership WHERE id = @organisationId",
            new { v.Name, v.Membership, organisationId }, tx, cancellationToken: ct));
        var newVersion = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO employer (organisation_id, membership_number, trade_licence_number, contact_person, contact_email,
                contact_phone, address, sector_code, charges_recruitment_fee, preferred_language)
            VALUES (@organisationId, @MembershipNumber, @TradeLicenceNumber, @ContactPerson, @ContactEmail,
                @ContactPhone, @Address, @SectorCode, @ChargesRecruitmentFee, @PreferredLanguage)
            ON CONFLICT (organisation_id) DO UPDATE SET
                membership_number = EXCLUDED.membership_number, trade_licence_number = EXCLUDED.trade_licence_number,
                contact_person = EXCLUDED.contact_person, contact_email = EXCLUDED.contact_email,
                contact_phone = EXCLUDED.contact_phone, address = EXCLUDED.address, sector_code = EXCLUDED.sector_code,
                charges_recruitment_fee = EXCLUDED.charges_recruitment_fee, preferred_language = EXCLUDED.preferred_language,
                status = CASE WHEN employer.status = 'verified' AND @identityChanged THEN 'pending' ELSE employer.status END,
                verified_at = CASE WHEN employer.status = 'verified' AND @identityChanged THEN NULL ELSE employer.verified_at END,
                verified_by = CASE WHEN employer.status = 'verified' AND @identityChanged THEN NULL ELSE employer.verified_by END,
                version = employer.version + 1, updated_at = now()
            RETURNING version
            """,
            new
            {
                organisationId, v.MembershipNumber, v.TradeLicenceNumber, v.ContactPerson, v.ContactEmail, v.ContactPhone,
                v.Address, v.SectorCode, v.ChargesRecruitmentFee, v.PreferredLanguage, identityChanged,
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (SaveResult.Saved, newVersion);
    }
}
