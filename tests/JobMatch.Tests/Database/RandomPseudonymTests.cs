using System.Text.RegularExpressions;
using Dapper;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Database;

/// <summary>
/// random_pseudonym makes the handles employers see (C-...) and the trainee numbers (T-...): 40 random bits as eight
/// characters of a 32-letter alphabet without 0/O/1/I. Rewritten for speed (migration 2300), so the draw itself is checked:
/// format, every letter of the alphabet in every position, none favoured, no repeats.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class RandomPseudonymTests(PostgresFixture database)
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    [GeneratedRegex("^C-[2-9A-HJ-NP-Z]{8}$")]
    private static partial Regex HandleFormat();

    [Fact]
    public async Task RandomPseudonym_SpreadsOverTheWholeAlphabetInEveryPosition_WhenDrawnManyTimes()
    {
        const int draws = 6_400; // 200 expected per letter and position
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var handles = (await connection.QueryAsync<string>("SELECT random_pseudonym('C-') FROM generate_series(1, @draws)", new { draws })).ToList();

        Assert.All(handles, h => Assert.Matches(HandleFormat(), h));
        Assert.Equal(draws, handles.Distinct(StringComparer.Ordinal).Count()); // 40 bits: a repeat in 6,400 draws has odds of 1 in 50,000
        for (var position = 2; position < 10; position++)
        {
            var counts = handles.GroupBy(h => h[position]).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(Alphabet.Length, counts.Count); // every letter appears
            // 200 expected; a letter drawn twice as often (a modulus of 31, a byte used twice) is far beyond chance here.
            Assert.All(counts.Values, c => Assert.InRange(c, 110, 300));
        }
    }

    [Fact]
    public async Task RandomPseudonym_KeepsThePrefix_WhenMakingTraineeNumbers()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var number = await connection.ExecuteScalarAsync<string>("SELECT random_pseudonym('T-')");

        Assert.Matches("^T-[2-9A-HJ-NP-Z]{8}$", number!);
    }
}
