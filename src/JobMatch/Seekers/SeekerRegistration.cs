using Dapper;
using JobMatch.Audit;
using JobMatch.Identity;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Registers a seeker with the person present: identity encrypted, a keyed hash of the phone for duplicate
/// warnings, a random reference, the profile, and (when given) the consent to be matched — in one transaction.
/// </summary>
internal sealed class SeekerRegistration(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit)
{
    public abstract record Result;
    public sealed record Registered(long Id, string Reference) : Result;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : Result;
    /// <summary>The phone is already registered; the reference is shown only when the seeker is in the caller's agency.</summary>
    public sealed record DuplicatePhone(string? ExistingReference) : Result;

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
        if (phoneIndex is not null && !request.ConfirmDuplicatePhone)
        {
            var existing = await connection.QueryAsync<(string Reference, Guid AgencyId)>(new CommandDefinition(
                """
                SELECT s.reference, s.agency_id FROM seeker_identity i JOIN seeker s ON s.id = i.seeker_id
                WHERE i.phone_index = @phoneIndex AND s.status <> 'erased'
                """, new { phoneIndex }, cancellationToken: ct));
            if (existing.AsList() is { Count: > 0 } found)
            {
                return new DuplicatePhone(found.FirstOrDefault(e => e.AgencyId == agencyId).Reference);
            }
        }

        var fullName = request.FullName.Trim();
        var firstName = string.IsNullOrWhiteSpace(request.FirstName) ? fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] : request.FirstName.Trim();
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (id, reference) = await InsertSeekerAsync(connection, tx, agencyId, profile, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO seeker_identity (seeker_id, full_name, first_name, phone, email, address, date_of_birth, phone_index, preferred_language)
            VALUES (@id, @fullName, @firstName, @phone, @email, @address, @dateOfBirth, @phoneIndex, @language)
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
