using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Registers a seeker with the person present: identity encrypted, keyed hashes of the phone and the e-mail for
/// duplicate warnings, a random reference, the profile, and (when given) the consent to be matched — in one transaction.
/// </summary>
internal sealed class SeekerRegistration(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit)
{
    public abstract record Result;
    public sealed record Registered(long Id, string Reference) : Result;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : Result;
    /// <summary>The phone is already registered with a seeker of the caller's agency: their reference is shown.</summary>
    public sealed record DuplicatePhone(string ExistingReference) : Result;
    /// <summary>The e-mail is already registered with a seeker of the caller's agency: their reference is shown.</summary>
    public sealed record DuplicateEmail(string ExistingReference) : Result;
    /// <summary>
    /// Not registered, for a reason the case worker is not told (the number or e-mail belongs to another agency's seeker): a
    /// duplicate-check task for the programme admin was raised. The answer must not differ from one case to another.
    /// </summary>
    public sealed record NeedsAdminCheck : Result;
    /// <summary>Too many registrations needing a check by this case worker in the last hour (probing for who is known).</summary>
    public sealed record TooManyChecks : Result;

    /// <summary>Duplicate checks one case worker may raise per hour.</summary>
    public const int ChecksPerHour = 5;

    public async Task<Result> RegisterAsync(RegisterSeekerRequest request, Guid agencyId, Guid caseWorkerId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var profile = request.Profile ?? new SeekerProfile();
        SeekerValidation.Identity(request, errors);
        await using var connection = await db.OpenConnectionAsync(ct);
        await SeekerValidation.ProfileAsync(connection, profile, errors, ct);
        if (errors.Count > 0) return new Invalid(errors);

        var ring = await encryption.RingAsync(ct);
        var phone = PhoneNumber.Normalize(request.Phone);
        var phoneIndex = phone is null ? null : ring.BlindIndex(phone, EncryptedFields.Phone);
        var emailIndex = SeekerEmailIndex.Of(ring, request.Email);
        if (await DuplicateAsync(connection, phoneIndex, emailIndex, agencyId, caseWorkerId, request, ct) is { } duplicate)
        {
            return duplicate;
        }

        var fullName = request.FullName.Trim();
        var firstName = string.IsNullOrWhiteSpace(request.FirstName) ? fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] : request.FirstName.Trim();
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (id, reference) = await InsertSeekerAsync(connection, tx, agencyId, profile, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO seeker_identity (seeker_id, full_name, first_name, phone, email, address, date_of_birth, phone_index, email_index, preferred_language)
            VALUES (@id, @fullName, @firstName, @phone, @email, @address, @dateOfBirth, @phoneIndex, @emailIndex, @language)
            """,
            new
            {
                id,
                fullName = ring.Encrypt(fullName, EncryptedFields.FullName),
                firstName = ring.Encrypt(firstName, EncryptedFields.FirstName),
                phone = ring.EncryptOrNull(phone, EncryptedFields.Phone),
                email = ring.EncryptOrNull(request.Email?.Trim(), EncryptedFields.Email),
                address = ring.EncryptOrNull(request.Address?.Trim(), EncryptedFields.Address),
                dateOfBirth = ring.EncryptOrNull(request.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), EncryptedFields.DateOfBirth),
                phoneIndex,
                emailIndex,
                language = request.PreferredLanguage ?? "bn",
            }, tx, cancellationToken: ct));
        if (request.MatchingConsentMethod is { } method)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO consent (seeker_id, purpose, method, recorded_by) VALUES (@id, 'matching', @method, @caseWorkerId)",
                new { id, method, caseWorkerId }, tx, cancellationToken: ct));
        }
        await audit.WriteAsync("seeker_registered", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
        await tx.CommitAsync(ct);
        return new Registered(id, reference);
    }

    /// <summary>
    /// Phone and e-mail are checked alike, each through its keyed blind index. Inside the caller's agency a known number
    /// or address answers with the existing reference, as before (and may be confirmed, each on its own). One known only
    /// to another agency is never confirmed past: it raises a task for the programme admin and answers neutrally — the
    /// same answer for phone and e-mail, so the case worker learns neither where nor by what the person is known —
    /// within a per-case-worker hourly limit.
    /// </summary>
    private async Task<Result?> DuplicateAsync(NpgsqlConnection connection, byte[]? phoneIndex, byte[]? emailIndex, Guid agencyId, Guid caseWorkerId,
        RegisterSeekerRequest request, CancellationToken ct)
    {
        if (phoneIndex is null && emailIndex is null) return null;
        var existing = (await connection.QueryAsync<(long Id, string Reference, Guid AgencyId, bool ByPhone, bool ByEmail)>(new CommandDefinition(
            """
            SELECT s.id, s.reference, s.agency_id, coalesce(i.phone_index = @phoneIndex, false) AS by_phone,
                coalesce(i.email_index = @emailIndex, false) AS by_email
            FROM seeker_identity i JOIN seeker s ON s.id = i.seeker_id
            WHERE (i.phone_index = @phoneIndex OR i.email_index = @emailIndex) AND s.status <> 'erased'
            ORDER BY s.id
            """, new { phoneIndex, emailIndex }, cancellationToken: ct))).ToList();
        var ownByPhone = existing.FirstOrDefault(e => e.AgencyId == agencyId && e.ByPhone);
        if (ownByPhone.Reference is not null && !request.ConfirmDuplicatePhone) return new DuplicatePhone(ownByPhone.Reference);
        var ownByEmail = existing.FirstOrDefault(e => e.AgencyId == agencyId && e.ByEmail);
        if (ownByEmail.Reference is not null && !request.ConfirmDuplicateEmail) return new DuplicateEmail(ownByEmail.Reference);
        // A key already answered inside the agency (and confirmed) is settled there, as it always was for phones.
        existing = existing.Where(e => e.AgencyId != agencyId
            && ((e.ByPhone && ownByPhone.Reference is null) || (e.ByEmail && ownByEmail.Reference is null))).ToList();
        if (existing.Count == 0) return null;
        await using var tx = await connection.BeginTransactionAsync(ct);
        // One lock per case worker, so two tabs cannot both slip under the limit.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('duplicate_check'), hashtext(@worker))",
            new { worker = caseWorkerId.ToString() }, tx, cancellationToken: ct));
        var recent = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM duplicate_check WHERE requested_by = @caseWorkerId AND requested_at > now() - interval '1 hour'",
            new { caseWorkerId }, tx, cancellationToken: ct));
        if (recent >= ChecksPerHour) return new TooManyChecks();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO duplicate_check (existing_seeker_id, requesting_agency_id, requested_by) VALUES (@seekerId, @agencyId, @caseWorkerId)",
            new { seekerId = existing[0].Id, agencyId, caseWorkerId }, tx, cancellationToken: ct));
        await audit.WriteAsync("duplicate_check_raised", SeekerReference.Subject(existing[0].Reference), ct, caseWorkerId, connection, tx);
        await tx.CommitAsync(ct);
        return new NeedsAdminCheck();
    }

    public sealed record DuplicateCheck(DateTime RequestedAt, string RequestingAgency, string ExistingReference, string ExistingAgency);

    /// <summary>The programme admin's open duplicate checks, oldest first.</summary>
    public async Task<IReadOnlyList<DuplicateCheck>> OpenChecksAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DuplicateCheck>(new CommandDefinition(
            """
            SELECT d.requested_at, ro.name AS requesting_agency, s.reference AS existing_reference, eo.name AS existing_agency
            FROM duplicate_check d
            JOIN organisation ro ON ro.id = d.requesting_agency_id
            JOIN seeker s ON s.id = d.existing_seeker_id
            JOIN organisation eo ON eo.id = s.agency_id
            WHERE d.resolved_at IS NULL AND s.status <> 'erased'
            ORDER BY d.requested_at
            LIMIT 100
            """, cancellationToken: ct));
        return rows.AsList();
    }

    private static async Task<(long Id, string Reference)> InsertSeekerAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid agencyId, SeekerProfile p, CancellationToken ct)
    {
        // A reference collision is rare (about 30 bits); try again with a new one, without losing the transaction.
        for (var attempt = 0; ; attempt++)
        {
            var reference = SeekerReference.New();
            await tx.SaveAsync("reference", ct);
            try
            {
                var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO seeker (reference, agency_id, upazila_code, education_level, languages, literacy, wants,
                        preferred_sectors, expected_wage_bdt, max_travel_km, available_from, hours_per_week, gender, birth_year)
                    VALUES (@reference, @agencyId, @UpazilaCode, @EducationLevel, @Languages, @Literacy, @Wants,
                        @PreferredSectors, @ExpectedWageBdt, @MaxTravelKm, @AvailableFrom, @HoursPerWeek, @Gender, @BirthYear)
                    RETURNING id
                    """,
                    new
                    {
                        reference, agencyId, p.UpazilaCode, p.EducationLevel, p.Languages, p.Literacy, p.Wants, p.PreferredSectors,
                        p.ExpectedWageBdt, p.MaxTravelKm, p.AvailableFrom, p.HoursPerWeek, p.Gender, p.BirthYear,
                    }, tx, cancellationToken: ct));
                return (id, reference);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "seeker_reference_key" && attempt < 5)
            {
                await tx.RollbackAsync("reference", ct);
            }
        }
    }
}
