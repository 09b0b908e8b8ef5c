using Dapper;
using JobMatch.Tests.Infrastructure;
using Npgsql;

namespace JobMatch.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class AuditLogTests(PostgresFixture database)
{
    [Theory]
    [InlineData("UPDATE audit_log SET action = 'changed' WHERE id = @id")]
    [InlineData("DELETE FROM audit_log WHERE id = @id")]
    [InlineData("TRUNCATE audit_log")]
    public async Task AuditRow_CannotBeChangedOrRemoved_WhenWritten(string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO audit_log (action, subject) VALUES ('test', @subject) RETURNING id", new { subject = "test:" + Guid.NewGuid() });

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql, new { id }));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal("test", await connection.ExecuteScalarAsync<string>("SELECT action FROM audit_log WHERE id = @id", new { id }));
    }
}
