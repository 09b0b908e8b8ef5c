using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using JobMatch.Tests.Vacancies;
using JobMatch.Vacancies;

namespace JobMatch.Tests.Faults;

/// <summary>
/// The write ledger (SECURITY.md, "What the fault-injection tests proved"): a load client creating vacancy drafts through the JSON API, each request with a
/// client-chosen Idempotency-Key that is also in the title, recording every answer (status, the created id for a
/// 2xx, or -1 for no answer). Afterwards <see cref="Acknowledged"/> is what the app promised to keep.
/// </summary>
internal sealed class WriteLedger
{
    public sealed record Entry(string Key, int Status, long? Id, TimeSpan At);

    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<Entry> Entries => [.. _entries];
    public IReadOnlyList<Entry> Acknowledged => Entries.Where(e => e.Status is >= 200 and < 300).ToList();

    /// <summary>Keys whose request got no 2xx: the write may or may not have happened (an ambiguous outcome).</summary>
    public IReadOnlyList<string> Ambiguous => Entries.Where(e => e.Status is < 200 or >= 300).Select(e => e.Key).ToList();

    /// <summary>Runs <paramref name="workers"/> clients, each sending one create after another until <paramref name="stop"/>.</summary>
    public Task RunAsync(HttpClient client, int workers, TimeSpan pause, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await CreateAsync(client, Guid.NewGuid().ToString("N"));
                try { await Task.Delay(pause, stop); } catch (OperationCanceledException) { }
            }
        }));

    /// <summary>One create with this key; records and returns the entry.</summary>
    public async Task<Entry> CreateAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/vacancies") { Content = JsonContent.Create(Input(key)) };
        request.Headers.Add(VacancyEndpoints.IdempotencyKeyHeader, key);
        Entry entry;
        try
        {
            using var response = await client.SendAsync(request);
            long? id = null;
            if (response.IsSuccessStatusCode) id = (await response.Content.ReadFromJsonAsync<VacancyRecord>())!.Id;
            entry = new Entry(key, (int)response.StatusCode, id, _clock.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            entry = new Entry(key, -1, null, _clock.Elapsed);
        }
        _entries.Enqueue(entry);
        return entry;
    }

    public static VacancyInput Input(string key) => BoardTestData.Input(key);

    /// <summary>Counts of answers by status, e.g. "201: 180, 503: 12, no answer: 3".</summary>
    public string Summary() => string.Join(", ", Entries.GroupBy(e => e.Status).OrderBy(g => g.Key)
        .Select(g => (g.Key == -1 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture)) + ": " + g.Count()));

    /// <summary>Writes the ledger as "key status id seconds" lines (kept with the test's temp files).</summary>
    public string Save()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jobmatch-ledger-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, Entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Status} {e.Id} {e.At.TotalSeconds:0.000}")));
        return path;
    }
}
