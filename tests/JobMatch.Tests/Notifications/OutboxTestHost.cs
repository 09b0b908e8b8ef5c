using Dapper;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// The real app wired to a test SMTP server (or to .eml files when none is given), with helpers to create
/// recipients, write outbox rows as a feature would (in a transaction) and run the dispatcher.
/// </summary>
internal sealed class OutboxTestHost(PostgresFixture database, TestSmtpServer? smtp, IDictionary<string, string?>? extra = null) : IAsyncDisposable
{
    public JobMatchApp App { get; } = new(database, Settings(smtp, extra));

    public static Dictionary<string, string?> Settings(TestSmtpServer? smtp, IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:RetryBaseDelay"] = "00:00:01",
            ["Notifications:RetryMaxDelay"] = "00:00:02",
        };
        if (smtp is not null)
        {
            settings["Smtp:Host"] = "127.0.0.1";
            settings["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Smtp:SecureSocketOptions"] = "None";
            settings["Smtp:TimeoutSeconds"] = "5";
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }

    public static string CanaryAddress() => $"canary-{Guid.NewGuid():N}@example.org";

    /// <summary>A user who receives e-mail at <paramref name="email"/>, in <paramref name="language"/>.</summary>
    public async Task<Guid> CreateRecipientAsync(string email, string language = "en", string role = Roles.Employer)
    {
        var organisation = role == Roles.JobSeeker ? (Guid?)null : await App.CreateOrganisationAsync(role == Roles.Employer ? "employer" : role == Roles.CaseWorker ? "case_agency" : "platform");
        var user = await App.CreateUserAsync(role, organisation, userName: email, language: language);
        return user.Id;
    }

    public Task<Guid> EnqueueGenericAsync(Guid userId) =>
        EnqueueAsync(NewOutboxMessage.Create(EmailTemplates.Generic, RecipientKinds.User, userId.ToString(), new GenericNotificationArgs("/me/offers")));

    public async Task<Guid> EnqueueAsync(NewOutboxMessage message)
    {
        var outbox = App.Services.GetRequiredService<Outbox>();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.True(await outbox.EnqueueAsync(connection, transaction, message, CancellationToken.None));
        await transaction.CommitAsync();
        return message.Id;
    }

    public async Task<DispatchResult> DispatchAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
    }

    /// <summary>Makes waiting rows due now (instead of waiting out the backoff).</summary>
    public async Task MakeDueAsync(params Guid[] ids)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE outbox_message SET next_attempt_at = now() WHERE id = ANY(@ids) AND status = 'pending'", new { ids });
    }

    public async Task<OutboxEntry> RowAsync(Guid id)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<OutboxEntry>(
            """
            SELECT id, kind, recipient_kind, recipient_id, template, language, status, attempts, next_attempt_at, last_error, created_at, finished_at
            FROM outbox_message WHERE id = @id
            """, new { id });
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
