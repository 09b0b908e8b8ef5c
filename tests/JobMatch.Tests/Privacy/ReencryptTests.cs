using System.Security.Cryptography;
using System.Text;
using Dapper;
using JobMatch.Database;
using JobMatch.Identity;
using JobMatch.Operations;
using JobMatch.Privacy;
using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace JobMatch.Tests.Privacy;

/// <summary>
/// The <c>reencrypt</c> verb's work on a database written before issue 14: unpadded (v1) values and accounts with
/// clear sign-in names. It runs in batches, can be stopped and resumed, and leaves every value padded and readable.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReencryptTests(PostgresFixture database)
{
    [Fact]
    public async Task Reencrypt_PadsLegacyValuesAndIndexesClearAccounts_WhenStoppedAndRunAgain()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true; // as the app and the verb set it; this test starts neither
        var connectionString = database.CreateDatabase("jobmatch_reencrypt_" + Guid.NewGuid().ToString("N")[..8]);
        DatabaseMigrator.Migrate(connectionString);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var kek = RandomNumberGenerator.GetBytes(32);
        var encryption = new FieldEncryption(db, new KeyEncryptionKeys(kek, []));
        var ring = await encryption.RingAsync(CancellationToken.None);
        var legacy = await LegacyAsync(db, kek);
        string[] statuses = ["trafficking_survivor", "at_risk", "other_vulnerable", "not_stated"];
        var userName = $"legacy-{Guid.NewGuid():N}@example.org";
        await using (var connection = await db.OpenConnectionAsync())
        {
            var agency = Guid.CreateVersion7();
            await connection.ExecuteAsync("INSERT INTO organisation (id, kind, name) VALUES (@agency, 'case_agency', 'Agency')", new { agency });
            for (var i = 0; i < statuses.Length; i++)
            {
                var id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO seeker (reference, agency_id) VALUES (@reference, @agency) RETURNING id", new { reference = $"JS-LEGAC{i}", agency });
                await connection.ExecuteAsync(
                    "INSERT INTO seeker_identity (seeker_id, full_name, first_name) VALUES (@id, @name, @first)",
                    new { id, name = legacy("seeker.full_name", "Legacy Name " + new string('x', i * 7)), first = legacy("seeker.first_name", "Legacy") });
                await connection.ExecuteAsync(
                    "INSERT INTO casefile.case_file (seeker_id, survivor_status, updated_by) VALUES (@id, @status, @agency)",
                    new { id, status = legacy("case.survivor_status", statuses[i]), agency });
            }
            // An account as written before migration 1400: the constraint that forbids clear names is lifted for it.
            await connection.ExecuteAsync("ALTER TABLE app_user DROP CONSTRAINT ck_app_user_no_clear_name");
            await connection.ExecuteAsync(
                """
                INSERT INTO app_user (id, user_name, normalized_user_name, email, normalized_email, authenticator_key, security_stamp,
                    concurrency_stamp, role, organisation_id, display_name)
                VALUES (@id, @userName, upper(@userName), @userName, upper(@userName), 'JBSWY3DPEHPK3PXP', 's', 'c', 'case_worker', @agency, 'Legacy')
                """, new { id = Guid.CreateVersion7(), userName, agency });
            await connection.ExecuteAsync(
                """
                ALTER TABLE app_user ADD CONSTRAINT ck_app_user_no_clear_name
                    CHECK (user_name_index IS NOT NULL AND normalized_user_name IS NULL AND normalized_email IS NULL
                           AND user_name LIKE 'v2:%' AND (email IS NULL OR email LIKE 'v2:%') AND (phone_number IS NULL OR phone_number LIKE 'v2:%')
                           AND (authenticator_key IS NULL OR authenticator_key LIKE 'v2:%')) NOT VALID
                """);
        }

        // Stopped after its first batch (as a killed process would be), then run again to the end.
        using var stop = new CancellationTokenSource();
        var reencryption = new FieldReencryption(db, encryption);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reencryption.RunAsync(1, new CancelOnWrite(stop), stop.Token));
        var second = await reencryption.RunAsync(1, TextWriter.Null, CancellationToken.None);
        var third = await reencryption.RunAsync(1, TextWriter.Null, CancellationToken.None);

        Assert.Equal(statuses.Length - 1, second["seeker_identity.full_name"]); // the stopped run had done one batch of one
        Assert.Equal(statuses.Length, second["casefile.case_file.survivor_status"]);
        Assert.All(third.Values, n => Assert.Equal(0, n));
        await using var check = await db.OpenConnectionAsync();
        var stored = (await check.QueryAsync<string>("SELECT survivor_status FROM casefile.case_file ORDER BY seeker_id")).ToList();
        Assert.All(stored, s => Assert.StartsWith(ring.CurrentPrefix, s));
        Assert.Single(stored.Select(s => s.Length).Distinct());
        Assert.Equal(statuses, stored.Select(s => ring.Decrypt(s, "case.survivor_status")));
        Assert.Single((await check.QueryAsync<int>("SELECT DISTINCT octet_length(full_name) FROM seeker_identity")).ToList());
        Assert.Empty(await DatabaseScan.FindAsync(db, [userName, "JBSWY3DPEHPK3PXP"]));
        using var store = new UserStore(db, encryption, new UpperInvariantLookupNormalizer());
        var user = await store.FindByNameAsync(userName.ToUpperInvariant(), CancellationToken.None);
        Assert.Equal((userName, userName, "JBSWY3DPEHPK3PXP"), (user?.UserName, user?.Email, user?.AuthenticatorKey));
    }

    [Fact]
    public async Task ReencryptVerb_RunsAgainstTheConfiguredDatabase_AndReportsWhatItDid()
    {
        var connectionString = database.CreateDatabase("jobmatch_reencrypt_" + Guid.NewGuid().ToString("N")[..8]);
        var kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await JobMatch.Commands.Verb.InvokeAsync(ReencryptCommand.Create(),
            ["--batch", "50", $"--ConnectionStrings:JobMatch={connectionString}", $"--Encryption:Key={kek}"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        Assert.Contains("Re-encrypted 0 values.", stdout.ToString());
    }

    /// <summary>A function writing values the way the code before issue 14 did: AES-GCM without padding, "v1:".</summary>
    private static async Task<Func<string, string, string>> LegacyAsync(NpgsqlDataSource db, byte[] kek)
    {
        await using var connection = await db.OpenConnectionAsync();
        var (id, wrapped) = await connection.QuerySingleAsync<(string, byte[])>("SELECT id, wrapped FROM encryption_key WHERE purpose = 'data'");
        var key = new byte[wrapped.Length - 28];
        using (var aes = new AesGcm(kek, 16)) aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), key, Encoding.UTF8.GetBytes(id));
        return (field, plaintext) =>
        {
            var plain = Encoding.UTF8.GetBytes(plaintext);
            var output = new byte[28 + plain.Length];
            RandomNumberGenerator.Fill(output.AsSpan(0, 12));
            using var aes = new AesGcm(key, 16);
            aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(28), output.AsSpan(12, 16), Encoding.UTF8.GetBytes($"v1:{id}:{field}"));
            return $"v1:{id}:{Convert.ToBase64String(output)}";
        };
    }

    /// <summary>A progress log that stops the run at its first line, i.e. after the first batch was committed.</summary>
    private sealed class CancelOnWrite(CancellationTokenSource stop) : StringWriter
    {
        public override Task WriteLineAsync(string? value)
        {
            stop.Cancel();
            return Task.CompletedTask;
        }
    }
}
