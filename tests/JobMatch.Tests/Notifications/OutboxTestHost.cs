using Dapper;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Notifications.Templates;
using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JobMatch.Tests.Notifications;

/// <summary>
/// The real app wired to a test SMTP server (or to .eml files when none is given), with helpers to create
/// recipients, write outbox rows as a feature would (in a transaction) and run the dispatcher.
/// </summary>
internal sealed class OutboxTestHost : IAsyncDisposable
{
    private readonly PostgresFixture database;

    /// <param name="services">Extra registrations (e.g. a resolver for another recipient kind, a log capture).</param>
    public OutboxTestHost(PostgresFixture database, TestSmtpServer? smtp, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        this.database = database;
        App = new JobMatchApp(database, Settings(smtp, extra));
        Factory = services is null ? App : App.WithWebHostBuilder(b => b.ConfigureServices(services));
    }

    public JobMatchApp App { get; }

    /// <summary>The app with the extra registrations (the same as <see cref="App"/> when there are none).</summary>
    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

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
        await using var scope = Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        Guid? organisation = role == Roles.JobSeeker
            ? null
            : await accounts.CreateOrganisationAsync(
                role switch { Roles.CaseWorker => "case_agency", Roles.Admin => "platform", Roles.TrainingProvider => "training_provider", _ => "employer" },
                "Test " + Guid.NewGuid(), role == Roles.Employer ? "chamber" : null, CancellationToken.None);
        var user = await accounts.CreateUserAsync(email, JobMatchApp.Password, role, organisation, "Test recipient", language);
        return user.Id;
    }

    public Task<Guid> EnqueueGenericAsync(Guid userId) =>
        EnqueueAsync(NewOutboxMessage.Create(EmailTemplates.Generic, RecipientKinds.User, userId.ToString(), new GenericNotificationArgs("/me/offers")));

    public Task<Guid> EnqueueGenericToSeekerAsync(long seekerId) =>
        EnqueueAsync(NewOutboxMessage.Create(EmailTemplates.Generic, RecipientKinds.Seeker,
            seekerId.ToString(System.Globalization.CultureInfo.InvariantCulture), new GenericNotificationArgs("/me/offers")));

    public async Task<Guid> EnqueueAsync(NewOutboxMessage message)
    {
        var outbox = Services.GetRequiredService<Outbox>();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.True(await outbox.EnqueueAsync(connection, transaction, message, CancellationToken.None));
        await transaction.CommitAsync();
        return message.Id;
    }

    public async Task<DispatchResult> DispatchAsync()
    {
        await using var scope = Services.CreateAsyncScope();
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

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(Factory, App)) await Factory.DisposeAsync();
        await App.DisposeAsync();
    }
}
