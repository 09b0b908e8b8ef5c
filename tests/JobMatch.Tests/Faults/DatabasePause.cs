using System.Globalization;

namespace JobMatch.Tests.Faults;

/// <summary>
/// Pauses the app at a chosen point of its background work, from inside the test's own database, so a kill -9 lands
/// exactly there and nothing in src knows about tests: a trigger (installed here, in this test database only) sleeps
/// in the statement that ends the window under test and names the paused item in the session's application_name,
/// which the test polls in pg_stat_activity. The database checks every 200 ms that the client is still there
/// (client_connection_check_interval), so the paused statement of a killed app ends as in production: its
/// transaction rolls back and its locks go.
/// </summary>
internal static class DatabasePause
{
    private const string Paused = "paused:";

    /// <summary>
    /// The <paramref name="nth"/> match-proposal batch (the first INSERT of 'proposed'/'shown' match events of a
    /// vacancy) sleeps <paramref name="pause"/> after its matches are written, before its commit.
    /// </summary>
    public static Task PauseProposalBatchAsync(FaultWorld world, int nth, TimeSpan pause) => InstallAsync(world,
        $"""
        CREATE OR REPLACE FUNCTION fault_pause() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE v bigint;
        BEGIN
            SELECT m.vacancy_id INTO v FROM added a JOIN match m ON m.id = a.match_id WHERE a.from_status IS NULL LIMIT 1;
            IF v IS NOT NULL AND nextval('fault_pause_count') = {nth} THEN
                PERFORM set_config('application_name', '{Paused}' || v, false);
                PERFORM pg_sleep({Seconds(pause)});
                PERFORM nextval('fault_resumed_count');
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER fault_pause AFTER INSERT ON match_event REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION fault_pause();
        """);

    /// <summary>
    /// Recording the <paramref name="nth"/> message as sent (the SMTP server has accepted it) sleeps until the app is
    /// killed: the crash window between "accepted" and "recorded".
    /// </summary>
    public static Task PauseBeforeRecordingSentAsync(FaultWorld world, int nth) => InstallAsync(world,
        $"""
        CREATE OR REPLACE FUNCTION fault_pause() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('fault_pause_count') = {nth} THEN
                PERFORM set_config('application_name', '{Paused}' || NEW.id, false);
                PERFORM pg_sleep(3600);
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER fault_pause BEFORE UPDATE ON outbox_message
            FOR EACH ROW WHEN (NEW.status = 'sent' AND OLD.status <> 'sent') EXECUTE FUNCTION fault_pause();
        """);

    /// <summary>Removes the pause (before a restart that must run undisturbed).</summary>
    public static Task RemoveAsync(FaultWorld world) => world.ScalarAsync<int>(
        """
        DROP TRIGGER IF EXISTS fault_pause ON match_event;
        DROP TRIGGER IF EXISTS fault_pause ON outbox_message;
        SELECT 0
        """);

    /// <summary>How many times the paused statement ran since the pause was installed.</summary>
    public static Task<long> CountAsync(FaultWorld world) =>
        world.ScalarAsync<long>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM fault_pause_count");

    /// <summary>Waits until a session of the app is paused; returns what it paused on (a vacancy or notification id).</summary>
    public static Task<string> WaitUntilPausedAsync(FaultWorld world, TimeSpan timeout, AppProcess app) => WaitForAsync(world, Paused, timeout, app);

    /// <summary>
    /// Waits until the paused session has woken up again (a pause shorter than the test). Told by a sequence, not by
    /// the session's application_name: the session goes back to the app's pool at commit and its next user resets the
    /// name, so a poll could miss a "resumed" that lasted a few milliseconds (it did, on a loaded machine).
    /// </summary>
    public static Task WaitUntilResumedAsync(FaultWorld world, TimeSpan timeout, AppProcess app) =>
        FaultWorld.WaitUntilAsync(async () => await world.ScalarAsync<bool>("SELECT is_called FROM fault_resumed_count"),
            timeout, "the paused session woke up", app);

    private static async Task<string> WaitForAsync(FaultWorld world, string prefix, TimeSpan timeout, AppProcess app)
    {
        string? name = null;
        await FaultWorld.WaitUntilAsync(async () =>
        {
            name = (await world.QueryAsync<string>(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE @like LIMIT 1",
                new { like = prefix + "%" })).FirstOrDefault();
            return name is not null;
        }, timeout, $"a session {prefix[..^1]} by the test trigger", app);
        return name![prefix.Length..];
    }

    private static async Task InstallAsync(FaultWorld world, string trigger)
    {
        await RemoveAsync(world);
        await world.ScalarAsync<int>(
            $"""
            ALTER DATABASE "{world.DatabaseName}" SET client_connection_check_interval = '200ms';
            DROP SEQUENCE IF EXISTS fault_pause_count;
            CREATE SEQUENCE fault_pause_count;
            DROP SEQUENCE IF EXISTS fault_resumed_count;
            CREATE SEQUENCE fault_resumed_count;
            {trigger}
            SELECT 0
            """);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
