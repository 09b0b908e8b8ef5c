
namespace JobMatch.Tests.Faults;

/// <summary>The universal check after a scenario (SECURITY.md, "What the fault-injection tests proved"), for the vacancy drafts the <see cref="WriteLedger"/> created.</summary>
internal static class LedgerCheck
{
    public sealed record Result(int Acknowledged, int Lost, int Phantom, int Ambiguous, int ResentAcknowledged, int Duplicates)
    {
        public override string ToString() =>
            $"ledger: {Acknowledged} acknowledged (2xx), {Lost} of them lost; {Phantom} rows never sent; {Ambiguous} ambiguous " +
            $"(no 2xx), re-sent with the same key: {ResentAcknowledged} answered 2xx; {Duplicates} keys with more than one row";
    }

    /// <summary>
    /// 1. every id answered 2xx is in the database under its key; 2. no row has a key that was never sent; 3. every
    /// ambiguous request re-sent with the same key is answered 2xx, and afterwards each key has exactly one row.
    /// </summary>
    public static async Task<Result> VerifyAsync(FaultWorld world, WriteLedger ledger, Guid employerId, HttpClient client)
    {
        var stored = (await world.QueryAsync<(string Key, long Id)>(
            "SELECT idempotency_key, id FROM vacancy WHERE employer_id = @employerId AND idempotency_key IS NOT NULL", new { employerId }))
            .ToLookup(r => r.Key, r => r.Id);
        var acknowledged = ledger.Acknowledged;
        var lost = acknowledged.Count(e => !stored[e.Key].Contains(e.Id!.Value));
        var sent = ledger.Entries.Select(e => e.Key).ToHashSet();
        var phantom = stored.Count(g => !sent.Contains(g.Key));

        var ambiguous = ledger.Ambiguous.Distinct().ToList();
        var again = new WriteLedger();
        await Parallel.ForEachAsync(ambiguous, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, _) => await again.CreateAsync(client, key));
        var resent = again.Acknowledged.Count;
        var duplicates = await world.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT idempotency_key FROM vacancy WHERE employer_id = @employerId GROUP BY idempotency_key HAVING count(*) > 1) d",
            new { employerId });
        return new Result(acknowledged.Count, lost, phantom, ambiguous.Count, resent, (int)duplicates);
    }

    public static void AssertHolds(Result result)
    {
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Phantom);
        Assert.Equal(result.Ambiguous, result.ResentAcknowledged);
        Assert.Equal(0, result.Duplicates);
    }
}
