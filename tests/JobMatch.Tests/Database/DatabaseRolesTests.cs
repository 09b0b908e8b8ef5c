using Dapper;
using JobMatch.Database;
using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace JobMatch.Tests.Database;

/// <summary>
/// Least privilege (R4): the embedded cluster's app role is no superuser and owns nothing, so it cannot switch off the
/// audit log's append-only triggers; employer-facing reads under <see cref="EmployerReads"/> cannot reach the case
/// file, identities or the referring agency.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseRolesTests(PostgresFixture database)
{
    [Fact]
    public async Task EmbeddedAppRole_GetsInsufficientPrivilege_WhenDisablingAuditLogTriggers()
    {
        var root = Path.Combine(Path.GetTempPath(), "jobmatch-roles-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JobMatch:DataDirectory"] = root }).Build();
        var appConnectionString = DatabaseExtensions.ResolveConnectionString(configuration, TextWriter.Null, out var embedded);
        try
        {
            DatabaseMigrator.Migrate(DatabaseExtensions.OwnerConnectionString(configuration));
            await using var app = new NpgsqlConnection(appConnectionString);
            await app.OpenAsync();

            Assert.False(await app.ExecuteScalarAsync<bool>("SELECT rolsuper OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
            var disable = await Assert.ThrowsAsync<PostgresException>(() => app.ExecuteAsync("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, disable.SqlState);
            var drop = await Assert.ThrowsAsync<PostgresException>(() => app.ExecuteAsync("DROP TRIGGER audit_log_no_truncate ON audit_log"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, drop.SqlState);
            // It still does its work: rows in, case files readable.
            Assert.Equal(1, await app.ExecuteAsync("INSERT INTO audit_log (action) VALUES ('roles_test')"));
            Assert.Equal(0, await app.ExecuteScalarAsync<long>("SELECT count(*) FROM casefile.case_file"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            embedded?.Stop();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Theory]
    [InlineData("SELECT survivor_status FROM casefile.case_file LIMIT 1")]
    [InlineData("SELECT body FROM casefile.case_note LIMIT 1")]
    [InlineData("SELECT * FROM seeker_identity LIMIT 1")]
    [InlineData("SELECT agency_id FROM seeker LIMIT 1")]
    [InlineData("SELECT review_reason FROM match LIMIT 1")]
    public async Task EmployerRead_GetsInsufficientPrivilege_WhenItStraysToCaseFileOrIdentity(string sql)
    {
        await using var read = await EmployerReads.BeginAsync(database.DataSource, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(() => read.Connection.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task EmployerRead_ReadsCardColumns_AndDropsTheRoleAfterwards()
    {
        await using (var read = await EmployerReads.BeginAsync(database.DataSource, CancellationToken.None))
        {
            Assert.Equal(EmployerReads.Role, await read.Connection.ExecuteScalarAsync<string>("SELECT current_user"));
            await read.Connection.ExecuteAsync("SELECT m.id, m.status, m.explanation, s.reference, s.birth_year FROM match m JOIN seeker s ON s.id = m.seeker_id LIMIT 1");
        }

        await using var next = await database.DataSource.OpenConnectionAsync();
        Assert.NotEqual(EmployerReads.Role, await next.ExecuteScalarAsync<string>("SELECT current_user"));
    }

    [Theory]
    [InlineData("SELECT survivor_status FROM casefile.case_file LIMIT 1")]
    [InlineData("SELECT referral_source FROM casefile.case_file LIMIT 1")]
    [InlineData("SELECT * FROM seeker_identity LIMIT 1")]
    [InlineData("SELECT agency_id FROM seeker LIMIT 1")]
    [InlineData("SELECT gender FROM seeker LIMIT 1")]
    [InlineData("SELECT consent_method FROM enrolment LIMIT 1")]
    [InlineData("SELECT employer_id FROM vacancy LIMIT 1")]
    [InlineData("SELECT seeker_id FROM match LIMIT 1")]
    [InlineData("SELECT reference FROM upload_row LIMIT 1")]
    public async Task ProviderRead_GetsInsufficientPrivilege_WhenItStraysToCaseFileOrIdentity(string sql)
    {
        await using var read = await ProviderReads.BeginAsync(database.DataSource, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(() => read.Connection.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Theory]
    [InlineData("SELECT * FROM enrolment LIMIT 1")] // providers' table: not the employer's
    [InlineData("SELECT * FROM trainee_number LIMIT 1")]
    [InlineData("SELECT * FROM course LIMIT 1")]
    [InlineData("SELECT case_worker_alerted_at FROM retention_checkin LIMIT 1")]
    [InlineData("SELECT requires_match_review FROM organisation LIMIT 1")]
    public async Task EmployerRead_GetsInsufficientPrivilege_WhenItReadsProvidersOrCaseWorkTables(string sql)
    {
        await using var read = await EmployerReads.BeginAsync(database.DataSource, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(() => read.Connection.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task ProviderRead_ReadsTraineeColumns_AndDropsTheRoleAfterwards()
    {
        await using (var read = await ProviderReads.BeginAsync(database.DataSource, CancellationToken.None))
        {
            Assert.Equal(ProviderReads.Role, await read.Connection.ExecuteScalarAsync<string>("SELECT current_user"));
            await read.Connection.ExecuteAsync(
                $"SELECT s.id, s.reference, tn.number {JobMatch.Training.TraineeQueries.Trainees} AND e.provider_id = @p LIMIT 1", new { p = Guid.NewGuid() });
        }

        await using var next = await database.DataSource.OpenConnectionAsync();
        Assert.NotEqual(ProviderReads.Role, await next.ExecuteScalarAsync<string>("SELECT current_user"));
    }
}
