namespace JobMatch.Tests.Sms;

/// <summary>
/// The test gateway's configuration: Kannel 1.4.5, loopback only, a fake SMSC, one sendsms user and one service that
/// forwards every reply to the app. Notes on the settings that matter are beside them.
/// </summary>
internal static class KannelTestConfig
{
    public static string Render(KannelGateway g) => $"""
        group = core
        admin-port = {g.AdminPort}
        admin-interface = 127.0.0.1
        admin-password = "admin-{g.Secret}"
        status-password = {KannelGateway.StatusPassword}
        admin-allow-ip = "127.0.0.1"
        smsbox-port = {g.BoxPort}
        smsbox-interface = 127.0.0.1
        box-allow-ip = "127.0.0.1"
        log-file = "{g.RunDirectory}/bearerbox.log"
        log-level = 1
        access-log = "{g.RunDirectory}/access.log"
        # Pending delivery reports in memory: lost on restart (production: dlr-storage = pgsql, mysql or redis).
        dlr-storage = internal

        group = smsc
        smsc = fake
        smsc-id = FAKE
        port = {g.SmscPort}
        our-host = 127.0.0.1
        connect-allow-ip = 127.0.0.1

        group = smsbox
        bearerbox-host = 127.0.0.1
        bearerbox-port = {g.BoxPort}
        sendsms-port = {g.SendsmsPort}
        sendsms-interface = 127.0.0.1
        log-file = "{g.RunDirectory}/smsbox.log"
        log-level = 1
        access-log = "{g.RunDirectory}/smsbox-access.log"
        # Replies in UCS-2 (Bangla) reach the app as UTF-8.
        mo-recode = true
        # Kannel's own error texts ("Could not fetch content, sorry.") would be sent to the phone when the app fails:
        # blank, and with omit-empty nothing is sent.
        reply-couldnotfetch = ""
        reply-couldnotrepresent = ""
        reply-requestfailed = ""
        reply-emptymessage = ""

        group = sendsms-user
        username = {KannelGateway.Username}
        password = {KannelGateway.Password}
        user-allow-ip = "127.0.0.1"
        concatenation = true
        # The app never sends more than 3 parts; Kannel would cut a longer text silently anyway.
        max-messages = 3
        # default-sender, not global-sender: global-sender also overwrites the short code replies are addressed to.
        default-sender = JobMatch

        # Every reply goes to the app as a POST (the text as the body); send-sender adds X-Kannel-From (the phone),
        # accept-x-kannel-headers lets the app's answer set X-Kannel-Coding: 2 (Bangla), omit-empty sends nothing
        # for an empty answer.
        group = sms-service
        keyword = default
        catch-all = true
        post-url = "http://127.0.0.1:{g.AppPort}/sms/mo?key={g.Secret}"
        send-sender = true
        accept-x-kannel-headers = true
        omit-empty = true
        max-messages = 1
        concatenation = true
        """;
}
