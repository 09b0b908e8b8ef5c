using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using JobMatch.Consent;
using JobMatch.Identity;
using JobMatch.Notifications;
using JobMatch.Seekers;
using JobMatch.Sms;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Sms;

namespace JobMatch.Benchmarks;

/// <summary>
/// B9: SMS through the product's outbox and a real Kannel (bearerbox + smsbox + the fake SMSC driven by fakesmsc, the
/// test suite's own <see cref="KannelGateway"/>), enqueued in transactions of 50 while a loop runs
/// <c>SmsDispatcher.DispatchDueAsync</c> back to back; against plain sendsms calls (the gateway's own ceiling on this
/// machine). Counted where a phone would see them: every text carries a serial, read back from fakesmsc's output.
/// </summary>
internal sealed partial class SmsBench(BenchRun run)
{
    private const int Seekers = 20;
    private const int Concurrency = 8;

    public async Task RunAsync()
    {
        var w = run.Report.Add("B9", $"SMS outbox drain, {run.Scale.Sms:N0} messages through Kannel to its fake SMSC");
        await using var gateway = await KannelGateway.StartAsync();
        await using var host = ProductHost.Create(run.ConnectionString, new Dictionary<string, string?>
        {
            ["Sms:Kannel:SendUrl"] = gateway.SendUrl.ToString(),
            ["Sms:Kannel:Username"] = KannelGateway.Username,
            ["Sms:Kannel:Password"] = KannelGateway.Password,
            ["Sms:Kannel:Sender"] = "JobMatch",
            ["Sms:Kannel:CallbackSecret"] = gateway.Secret,
            // No Sms:CallbackBaseUrl: no delivery reports, as the issue's gateway ceiling (400-470/s) was measured.
        });
        var seekers = await SeekersAsync(host);

        await OutboxAsync(host, gateway, seekers, 50, "w", null); // warm-up
        await OutboxAsync(host, gateway, seekers, run.Scale.Sms, "m", w);
        await DirectAsync(gateway, seekers, run.Scale.Sms, w);
    }

    /// <summary>Seekers registered as a case worker would, each with a phone, Bangla and the consent to be notified.</summary>
    private static async Task<List<(long Id, string Phone)>> SeekersAsync(ProductHost host)
    {
        var agency = await TestUsers.CreateOrganisationAsync(host.Services, "case_agency", "Bench SMS agency");
        var worker = await TestUsers.CreateUserAsync(host.Services, Roles.CaseWorker, agency, $"bench-sms-worker-{Guid.NewGuid():N}@example.org", withAuthenticator: false);
        var registration = host.Services.GetRequiredService<SeekerRegistration>();
        var consents = host.Services.GetRequiredService<ConsentQueries>();
        var seekers = new List<(long, string)>();
        var prefix = Random.Shared.Next(100, 999).ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < Seekers; i++)
        {
            var phone = $"01719{prefix}{i:D3}";
            var result = await registration.RegisterAsync(new RegisterSeekerRequest($"Bench Seeker {i}", null, phone, null, null, null, "bn", null, null),
                agency, worker.Id, CancellationToken.None);
            if (result is not SeekerRegistration.Registered registered) throw new InvalidOperationException("Bench seeker not registered: " + result);
            var (consent, errors) = await consents.GrantAsync(registered.Id, registered.Reference, new ConsentQueries.Grant("notifications", "in_person", null, null, null, ["sms"]),
                worker.Id, CancellationToken.None);
            if (consent is null) throw new InvalidOperationException("Bench consent refused: " + string.Join(", ", errors.Keys));
            seekers.Add((registered.Id, "880" + phone[1..]));
        }
        return seekers;
    }

    private async Task OutboxAsync(ProductHost host, KannelGateway gateway, List<(long Id, string Phone)> seekers, int count, string phase, WorkloadResult? w)
    {
        var outbox = host.Services.GetRequiredService<Outbox>();
        var tag = phase + Guid.NewGuid().ToString("N")[..2];
        var enqueued = new Dictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        var dispatcher = Task.Run(async () =>
        {
            // What the recurring job plus DispatchSoon() amount to under a steady stream: a dispatch run whenever rows are due.
            while (!stop.IsCancellationRequested)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<SmsDispatcher>().DispatchDueAsync(CancellationToken.None);
                if (result.Sent == 0) await Task.Delay(20, CancellationToken.None);
            }
        });
        var arrivals = new ArrivalWatch(gateway, tag);
        var watching = arrivals.RunAsync(stop.Token);
        await using (var connection = await run.DataSource.OpenConnectionAsync())
        {
            for (var i = 0; i < count; i += 50)
            {
                await using var tx = await connection.BeginTransactionAsync();
                var serials = new List<string>();
                for (var j = i; j < Math.Min(count, i + 50); j++)
                {
                    // A reminder in Bangla (UCS-2, one SMS): the job title carries the serial the count reads back.
                    var serial = Serial(tag, j);
                    var seeker = seekers[j % seekers.Count];
                    await outbox.EnqueueAsync(connection, tx, NewOutboxMessage.Sms(SmsTemplates.Reminder, RecipientKinds.Seeker,
                        seeker.Id.ToString(CultureInfo.InvariantCulture), new SmsReminderArgs(j + 1, serial, serial, "4821"), $"b9:{serial}"), CancellationToken.None);
                    serials.Add(serial);
                }
                await tx.CommitAsync();
                var now = Stopwatch.GetTimestamp();
                foreach (var serial in serials) enqueued[serial] = now;
            }
        }
        var enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await arrivals.WaitForAsync(enqueued.Keys, TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await dispatcher;
        await watching;
        if (w is not null) Summarise(w, null, arrivals, enqueued, start, enqueueSeconds);
    }

    /// <summary>The peer: the same count of sendsms GETs straight from 8 concurrent callers, no database, no outbox.</summary>
    private async Task DirectAsync(KannelGateway gateway, List<(long Id, string Phone)> seekers, int count, WorkloadResult w)
    {
        var tag = "d" + Guid.NewGuid().ToString("N")[..2];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var enqueued = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var arrivals = new ArrivalWatch(gateway, tag);
        var watching = arrivals.RunAsync(stop.Token);
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int j;
            while ((j = Interlocked.Increment(ref next)) < count)
            {
                var serial = Serial(tag, j);
                var text = $"JobMatch: {serial} প্রস্তাব শীঘ্রই শেষ। লিখুন হ্যাঁ ৪৮২১ বা না ৪৮২১";
                var url = $"{gateway.SendUrl}?username={KannelGateway.Username}&password={KannelGateway.Password}&from=JobMatch" +
                          $"&to={seekers[j % seekers.Count].Phone}&charset=UTF-8&coding=2&text={Uri.EscapeDataString(text)}";
                enqueued[serial] = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url);
                response.EnsureSuccessStatusCode();
            }
        }));
        var enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await arrivals.WaitForAsync(enqueued.Keys, TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await watching;
        Summarise(w, "direct sendsms, 8 callers", arrivals, new Dictionary<string, long>(enqueued, StringComparer.Ordinal), start, enqueueSeconds);
    }

    /// <summary>Short enough ("m3f-00042") for the Bangla reminder to stay one UCS-2 SMS (70 characters).</summary>
    private static string Serial(string tag, int j) => $"{tag}-{j:D5}";

    private void Summarise(WorkloadResult w, string? peer, ArrivalWatch arrivals, Dictionary<string, long> enqueued, long start, double enqueueSeconds)
    {
        var seen = arrivals.Seen;
        var delivered = enqueued.Keys.Where(seen.ContainsKey).ToList();
        var lost = enqueued.Count - delivered.Count;
        var duplicated = seen.Where(s => enqueued.ContainsKey(s.Key)).Sum(s => s.Value.Count - 1);
        var last = delivered.Count == 0 ? start : delivered.Max(d => seen[d].FirstAt);
        var wall = Stopwatch.GetElapsedTime(start, last).TotalSeconds;
        var latency = delivered.Select(d => Stopwatch.GetElapsedTime(enqueued[d], seen[d].FirstAt).TotalMilliseconds).ToList();
        void Set(string name, double value) { if (peer is null) w.Metric(name, value); else w.Peer(peer, name, value); }
        Set("messages", enqueued.Count);
        Set("wall_s", wall);
        Set("messages_per_s", delivered.Count / wall);
        Set("enqueue_s", enqueueSeconds);
        Set("enqueue_to_phone_p50_ms", Stats.Percentile(latency, 50));
        Set("enqueue_to_phone_p95_ms", Stats.Percentile(latency, 95));
        Set("lost", lost);
        Set("duplicated", duplicated);
        if (peer is null)
        {
            w.Notes.Add($"JobMatch: Bangla reminders (UCS-2, one SMS each) to {Seekers} seekers written in transactions of 50 while one dispatch loop " +
                        "(SmsDispatcher.DispatchDueAsync, product defaults: 8 senders, batches of 200, sent recorded every 20, each batch reads its " +
                        "recipients' numbers through SeekerContact, audited) runs back to back; sendsms through IHttpClientFactory with the product's resilience pipeline.");
            w.Notes.Add("Counted at the phone: a message counts when fakesmsc prints it (polled every 50 ms, so arrival times are up to 50 ms late). " +
                        "No delivery reports are requested (no Sms:CallbackBaseUrl), as the gateway's own ceiling was measured; with them Kannel makes an extra HTTP call per report. No crash is injected.");
        }
        else
        {
            w.Notes.Add("Peer: the same number of sendsms GETs (same Bangla text shape) from 8 concurrent callers, no database: the gateway's ceiling in this run.");
        }
        if (lost > 0) run.Log($"lost messages: the phone saw {arrivals.Lines} lines, {seen.Count} of this phase; gateway output in {arrivals.Describe()}");
        run.Log($"{peer ?? "outbox"}: {delivered.Count} at the phone in {wall:F2} s, lost {lost}, duplicated {duplicated}");
    }

    /// <summary>Follows fakesmsc's output and records, per serial of this phase, when it was first seen and how often.</summary>
    private sealed partial class ArrivalWatch(KannelGateway gateway, string tag)
    {
        private readonly object _lock = new();
        private readonly Dictionary<string, (long FirstAt, int Count)> _seen = new(StringComparer.Ordinal);

        public Dictionary<string, (long FirstAt, int Count)> Seen
        {
            get { lock (_lock) return new(_seen, StringComparer.Ordinal); }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                Poll();
                try { await Task.Delay(50, stop); } catch (OperationCanceledException) { }
            }
            Poll();
        }

        private long _offset;
        public int Lines { get; private set; }
        public string Describe() => $"{gateway.RunDirectory}/fakesmsc.out, read to {_offset}: " + _partial[..Math.Min(200, _partial.Length)];
        private string _partial = "";

        /// <summary>Reads what fakesmsc printed since the last poll ("Got message N: &lt;from to ucs-2 data&gt;" lines).</summary>
        private void Poll()
        {
            var path = Path.Combine(gateway.RunDirectory, "fakesmsc.out");
            if (!File.Exists(path)) return;
            string chunk;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                stream.Seek(_offset, SeekOrigin.Begin);
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                chunk = reader.ReadToEnd();
                _offset = stream.Position;
            }
            var now = Stopwatch.GetTimestamp();
            var text = _partial + chunk;
            var end = text.LastIndexOf('\n');
            _partial = end < 0 ? text : text[(end + 1)..];
            if (end < 0) return;
            lock (_lock)
            {
                foreach (Match line in GotMessage().Matches(text[..(end + 1)]))
                {
                    Lines++;
                    // A part of a split message is "udh <header> data <UCS-2>"; the serial is in the first part.
                    var (type, data) = (line.Groups[2].Value, line.Groups[3].Value);
                    if (type == "udh" && data.IndexOf(" data ", StringComparison.Ordinal) is var at and >= 0) (type, data) = ("ucs-2", data[(at + 6)..]);
                    var body = type == "ucs-2"
                        ? System.Text.Encoding.BigEndianUnicode.GetString(System.Web.HttpUtility.UrlDecodeToBytes(data))
                        : System.Net.WebUtility.UrlDecode(data);
                    var m = SerialIn().Match(body);
                    if (!m.Success || !m.Value.StartsWith(tag + "-", StringComparison.Ordinal)) continue;
                    _seen[m.Value] = _seen.TryGetValue(m.Value, out var s) ? (s.FirstAt, s.Count + 1) : (now, 1);
                }
            }
        }

        public async Task WaitForAsync(IEnumerable<string> serials, TimeSpan timeout)
        {
            var wanted = serials.ToList();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                bool all;
                lock (_lock) all = wanted.All(_seen.ContainsKey);
                if (all) { await Task.Delay(1000); return; } // a moment more, to catch duplicates
                await Task.Delay(50);
            }
        }

        [GeneratedRegex(@"Got message \d+: <\S+ (\S+) (\S+) (.*?)>\r?\n")]
        private static partial Regex GotMessage();

        [GeneratedRegex(@"\b[wmd][0-9a-f]{2}-\d{5}\b")]
        private static partial Regex SerialIn();
    }
}
