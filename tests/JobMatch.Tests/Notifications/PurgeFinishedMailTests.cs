using Dapper;
using JobMatch.BackgroundJobs;
using JobMatch.Notifications;
using JobMatch.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace JobMatch.Tests.Notifications;

/// <summary>Retention: old sent and cancelled rows and old .eml files go; failures stay for the admin; idempotent.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PurgeFinishedMailTests(PostgresFixture database)
{
    [Fact]
    public async Task Purge_DeletesOldFinishedRowsAndFilesOnly_AndChangesNothingWhenRunAgain()
    {
        await using var host = new OutboxTestHost(database, smtp: null);
        var keepDays = host.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.KeepFinishedDays;
        var (oldSent, oldCancelled, oldFailed, recentSent, pending) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO outbox_message (id, kind, recipient_kind, recipient_id, template, status, finished_at)
            SELECT id, 'generic_notification', 'user', 'x', 'generic_notification', status, now() - make_interval(days => age)
            FROM unnest(@ids, @statuses, @ages) AS t(id, status, age)
            """,
            new
            {
                ids = new[] { oldSent, oldCancelled, oldFailed, recentSent, pending },
                statuses = new[] { "sent", "cancelled", "failed_permanent", "sent", "pending" },
                ages = new[] { keepDays + 1, keepDays + 1, keepDays + 1, 1, keepDays + 1 },
            });
        await connection.ExecuteAsync("UPDATE outbox_message SET finished_at = NULL WHERE id = @pending", new { pending });
        var folder = host.Services.GetRequiredService<MailFolder>();
        var oldFile = Path.Combine(folder.Ensure(), $"{oldSent}.eml");
        var newFile = Path.Combine(folder.Path, $"{recentSent}.eml");
        await File.WriteAllTextAsync(oldFile, "old");
        await File.WriteAllTextAsync(newFile, "new");
        File.SetLastWriteTimeUtc(oldFile, DateTime.UtcNow.AddDays(-keepDays - 1));

        for (var run = 0; run < 2; run++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await ActivatorUtilities.CreateInstance<PurgeFinishedMail>(scope.ServiceProvider).RunAsync(CancellationToken.None);

            var left = (await connection.QueryAsync<Guid>("SELECT id FROM outbox_message WHERE id = ANY(@ids)",
                new { ids = new[] { oldSent, oldCancelled, oldFailed, recentSent, pending } })).ToHashSet();
            Assert.Equal(new HashSet<Guid> { oldFailed, recentSent, pending }, left);
            Assert.False(File.Exists(oldFile));
            Assert.True(File.Exists(newFile));
        }
        await connection.ExecuteAsync("DELETE FROM outbox_message WHERE id = ANY(@ids)", new { ids = new[] { oldFailed, recentSent, pending } });
    }
}
