using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using Npgsql;

namespace JobMatch.Onboarding;

/// <summary>
/// The platform admin brings partners on board without SQL: creates case agencies and training providers, lists
/// them with the membership bodies, and deactivates an organisation or one of its people. Deactivating disables the
/// accounts and changes their security stamps, so open sessions end on their next request. Every change is audited.
/// </summary>
internal sealed class Organisations(NpgsqlDataSource db, UserAccounts accounts, AuditLog audit, Privacy.FieldEncryption encryption)
{
    /// <summary>The kinds of organisation whose staff the platform invites, and the role their staff get.</summary>
    public static readonly IReadOnlyDictionary<string, string> StaffRole = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["case_agency"] = Roles.CaseWorker,
        ["training_provider"] = Roles.TrainingProvider,
        ["membership_body"] = Roles.ChamberAdmin,
    };

    /// <summary>The kinds an admin may create (the three membership bodies exist once each).</summary>
    public static readonly string[] Creatable = ["case_agency", "training_provider"];

    /// <summary>A class, not a positional record: Dapper fills timestamptz into a DateTimeOffset property, not a constructor.</summary>
    public sealed class Summary
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public DateTimeOffset? DeactivatedAt { get; init; }
        public long Staff { get; init; }
    }

    public sealed record Person(Guid Id, string UserName, string DisplayName, string Role, bool Disabled, bool Lead);

    public async Task<IReadOnlyList<Summary>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Summary>(new CommandDefinition(
            """
            SELECT o.id, o.kind, o.name, o.deactivated_at,
                   (SELECT count(*) FROM app_user u WHERE u.organisation_id = o.id AND NOT u.disabled) AS staff
            FROM organisation o
            WHERE o.kind IN ('case_agency', 'training_provider', 'membership_body')
            ORDER BY o.deactivated_at IS NOT NULL, o.kind, o.name
            LIMIT 500
            """, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<Summary?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Summary>(new CommandDefinition(
            """
            SELECT o.id, o.kind, o.name, o.deactivated_at,
                   (SELECT count(*) FROM app_user u WHERE u.organisation_id = o.id AND NOT u.disabled) AS staff
            FROM organisation o
            WHERE o.id = @id AND o.kind IN ('case_agency', 'training_provider', 'membership_body')
            """, new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Person>> StaffAsync(Guid organisationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Person>(new CommandDefinition(
            """
            SELECT u.id, u.user_name, u.display_name, u.role, u.disabled, l.user_id IS NOT NULL AS lead
            FROM app_user u LEFT JOIN staff_lead l ON l.user_id = u.id
            WHERE u.organisation_id = @organisationId
            ORDER BY u.disabled, u.display_name
            """, new { organisationId }, cancellationToken: ct));
        // Sign-in names are stored encrypted (issue 14): the admin sees them in clear, the table never holds them so.
        var ring = await encryption.RingAsync(ct);
        return rows.Select(p => p with { UserName = ring.Decrypt(p.UserName, Identity.StoredUser.UserName) }).ToList();
    }

    public async Task<Guid> CreateAsync(string kind, string name, Guid actor, CancellationToken ct)
    {
        var id = await accounts.CreateOrganisationAsync(kind, name, null, ct);
        await audit.WriteAsync("organisation_created", $"organisation:{id}", ct, actor);
        return id;
    }

    /// <summary>Deactivates the organisation and every account in it; false when unknown or already inactive.</summary>
    public async Task<bool> DeactivateAsync(Guid id, Guid actor, CancellationToken ct)
    {
        List<Guid> people;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE organisation SET deactivated_at = now()
                WHERE id = @id AND deactivated_at IS NULL AND kind IN ('case_agency', 'training_provider', 'membership_body')
                """, new { id }, cancellationToken: ct));
            if (updated == 0) return false;
            people = (await connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT id FROM app_user WHERE organisation_id = @id AND NOT disabled", new { id }, cancellationToken: ct))).AsList();
            await audit.WriteAsync("organisation_deactivated", $"organisation:{id}", ct, actor, connection);
        }
        foreach (var person in people) await accounts.DisableAsync(person);
        return true;
    }

    /// <summary>Disables one account of the organisation (ends its sessions); false when it is not in that organisation.</summary>
    public async Task<bool> DeactivateUserAsync(Guid organisationId, Guid userId, Guid actor, CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var member = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM app_user WHERE id = @userId AND organisation_id = @organisationId)",
                new { userId, organisationId }, cancellationToken: ct));
            if (!member) return false;
        }
        await accounts.DisableAsync(userId);
        await audit.WriteAsync("user_deactivated", $"user:{userId}", ct, actor);
        return true;
    }

    /// <summary>True when the user is a lead of their organisation (may invite colleagues to it).</summary>
    public async Task<bool> IsLeadAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM staff_lead l JOIN app_user u ON u.id = l.user_id WHERE l.user_id = @userId AND NOT u.disabled)",
            new { userId }, cancellationToken: ct));
    }
}
