namespace JobMatch.Web;

/// <summary>What an operator should do when a part of <c>/health/ready</c> is not healthy, by check name.</summary>
internal static class HealthAdvice
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["database"] = "PostgreSQL does not answer. Check the server (systemctl status postgresql, or server.log in the data folder's " +
            "postgres/ for the embedded cluster), the network to it and ConnectionStrings:JobMatch. Requests answer 503 until it is back; nothing is lost.",
        ["migrations"] = "This version's migrations are not all applied: run 'migrate' with this version, or restart one node (migrations " +
            "apply at start-up). Do not run an older version against a newer database.",
        ["durability"] = "PostgreSQL runs with fsync or synchronous_commit off: a power cut can lose or corrupt data. Set fsync = on, " +
            "synchronous_commit = on, full_page_writes = on in postgresql.conf and restart PostgreSQL.",
        ["keyring"] = "The key-encryption key does not open the data keys (wrong or missing key file, typically after a restore). Put the " +
            "installation's key file in place (Encryption:KeyFile, or import-key from the exported copy) and restart. Never generate a new one.",
        ["mail"] = "E-mails wait in the outbox because the mail server cannot be reached. Check Smtp:Host, Smtp:Port and the credentials, " +
            "and that the server accepts mail from this machine; they are sent once it answers.",
        ["sms"] = "Text messages wait in the outbox because the SMS gateway does not answer. Check the gateway (Kannel: systemctl status " +
            "kannel, its bearerbox and smsbox logs) and its link to the operator; they are sent once it answers.",
        ["ranking"] = "Matches are ranked by the transparent rule ranker because no trained model is active or it failed to load. Train " +
            "one ('train --from-database' once outcomes are recorded) and check the admin model page.",
    };

    public static string For(string check) => Actions.GetValueOrDefault(check,
        "See this check's description; the application log (journalctl -u jobmatch-web) has the details.");
}
