using Dapper;
using JobMatch.Audit;
using JobMatch.Privacy;
using Npgsql;

namespace JobMatch.Seekers;

/// <summary>
/// Erasure on request (security.md R22): identity, contact details, case file, consents, enrolments, do-not-match
/// rules, upload staging rows and the sign-in account are deleted, and messages still queued for the seeker are
/// cancelled; the seeker row stays as status <c>erased</c> under its pseudonymous reference with the skill records and
/// coarse profile, for statistics. Every <see cref="ISeekerErasureHook"/> of the other features runs inside the
/// transaction and again after the commit, when it removes the files that name the seeker (the .eml and SMS files of
/// messages to them). Running it again changes nothing in the database and sweeps the files again.
/// </summary>
internal sealed class SeekerErasure(NpgsqlDataSource db, FieldEncryption encryption, AuditLog audit, IEnumerable<ISeekerErasureHook> hooks)
{
    public async Task EraseAsync(long seekerId, string reference, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        SeekerIdentity? identity;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var userId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT user_id FROM seeker WHERE id = @seekerId FOR UPDATE", new { seekerId }, tx, cancellationToken: ct));
            var wasErased = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT status = 'erased' FROM seeker WHERE id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
            // Read (not shown to anyone) so the hooks can find files that name the seeker.
            identity = await IdentityAsync(connection, tx, seekerId, ct);

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM seeker_identity WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
            await CaseFileQueries.DeleteAsync(connection, tx, seekerId, ct);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM consent WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM enrolment WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM trainee_number WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM upload_row WHERE seeker_id = @seekerId", new { seekerId }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE outbox_message SET status = 'cancelled', last_error = 'recipient_erased', finished_at = now()
                WHERE recipient_kind = 'seeker' AND recipient_id = @id AND status IN ('pending', 'sending')
                """, new { id = SeekerRecipientId(seekerId) }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE seeker SET status = 'erased', user_id = NULL, blocked_sectors = '{}', blocked_employer_ids = '{}',
                    blocked_upazilas = '{}', version = version + 1, updated_at = now()
                WHERE id = @seekerId AND status <> 'erased'
                """, new { seekerId }, tx, cancellationToken: ct));
            if (userId is { } id)
            {
                // The sign-in name is the phone or e-mail address: the account goes too.
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM app_user WHERE id = @id AND role = 'job_seeker'", new { id }, tx, cancellationToken: ct));
            }
            // The one rule forbids an erased seeker everywhere: every open match is withdrawn in this transaction.
            await MatchingContract.MatchRule.WithdrawForbiddenAsync(connection, tx, seekerId, null, null, ct);
            foreach (var hook in hooks) await hook.ErasingAsync(connection, tx, seekerId, ct);
            if (!wasErased) await audit.WriteAsync("seeker_erased", SeekerReference.Subject(reference), ct, connection: connection, transaction: tx);
            await tx.CommitAsync(ct);
        }

        // After the commit: a file deleted for an erasure that then failed would be no loss; the reverse would be.
        var messageIds = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM outbox_message WHERE recipient_kind = 'seeker' AND recipient_id = @id",
            new { id = SeekerRecipientId(seekerId) }, cancellationToken: ct))).ToList();
        var erased = new ErasedSeeker(seekerId, reference, messageIds, identity);
        foreach (var hook in hooks) await hook.ErasedAsync(erased, ct);
    }

    /// <summary>How the outbox names a seeker recipient (RecipientKinds.Seeker): the id as invariant text.</summary>
    private static string SeekerRecipientId(long seekerId) => seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<SeekerIdentity?> IdentityAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long seekerId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SeekerIdentities.EncryptedIdentity>(new CommandDefinition(
            "SELECT seeker_id, full_name, first_name, phone, email, address, date_of_birth, preferred_language FROM seeker_identity WHERE seeker_id = @seekerId",
            new { seekerId }, tx, cancellationToken: ct));
        return row is null ? null : SeekerIdentities.Decrypt(await encryption.RingAsync(ct), row);
    }
}
