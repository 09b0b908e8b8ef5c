using Dapper;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Seekers;

/// <summary>SECURITY.md R4: the case file lives in schema casefile; the employer-facing role has no grant on it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CaseFileSeparationTests(PostgresFixture database)
{
    [Theory]
    [InlineData("casefile.case_file")]
    [InlineData("casefile.case_note")]
    public async Task EmployerRole_GetsInsufficientPrivilege_OnCaseFileTables(string table)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var matchable = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM matchable_seeker", transaction: tx);
        await connection.ExecuteAsync("SET LOCAL ROLE jm_employer_api", transaction: tx);
        // Control: the role does read what it is granted, and sees the same rows as the owner.
        Assert.Equal(matchable, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM matchable_seeker", transaction: tx));

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}", transaction: tx));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public void OnlyCaseFileQueries_ReadsTheCaseFileSchema()
    {
        var sourceRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/JobMatch"));
        var readers = Directory.GetFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && File.ReadAllText(f).Contains("casefile.", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();

        // FieldReencryption (the 'reencrypt' verb) rewrites the case file's ciphertext under the current data key; it
        // never returns a value to anyone.
        Assert.Equal(["CaseFileQueries.cs", "FieldReencryption.cs"], readers);
    }
}
