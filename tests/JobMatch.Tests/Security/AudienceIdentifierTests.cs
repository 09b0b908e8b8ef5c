using System.Text.RegularExpressions;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobMatch.Tests.Security;

/// <summary>
/// Audience-scoped pseudonyms (issue 13): every GET route an employer or a training provider can reach (the endpoint
/// catalogue the authorisation matrix uses, every parameter filled with both organisations' real ids) is fetched, and
/// every seeker identifier the database holds for the world's seekers — case work's references, each match's candidate
/// handle, each provider's trainee numbers — is looked for in what each audience received. No identifier may reach both
/// audiences, and case work's references reach neither. The seeker of each side is both matched with the employer and
/// enrolled with the provider, so a shared identifier would be there to find.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class AudienceIdentifierTests(PostgresFixture database, SecurityWorldFixture fixture, ITestOutputHelper output)
    : IClassFixture<SecurityWorldFixture>
{
    [Fact]
    public async Task NoSeekerIdentifier_ShownToEmployers_IsShownToTrainingProviders()
    {
        var world = await fixture.GetAsync(database);
        var identifiers = await IdentifiersAsync(world);
        var employer = await SeenAsync(world, Roles.Employer, identifiers);
        var provider = await SeenAsync(world, Roles.TrainingProvider, identifiers);

        output.WriteLine($"employer saw {string.Join(", ", employer.Keys)}; provider saw {string.Join(", ", provider.Keys)}");
        // Controls: each audience does see its own kind of identifier, so "nothing shared" is not "nothing seen".
        Assert.Contains(employer.Keys, id => identifiers[id] == "handle");
        Assert.Contains(provider.Keys, id => identifiers[id] == "trainee_number");
        var shared = employer.Keys.Intersect(provider.Keys).Select(id => $"{id} ({identifiers[id]}): employer {employer[id]}, provider {provider[id]}").ToList();
        Assert.True(shared.Count == 0, "shown to both audiences:\n" + string.Join("\n", shared));
        var references = employer.Concat(provider).Where(p => identifiers[p.Key] == "reference").Select(p => $"{p.Key} at {p.Value}").ToList();
        Assert.True(references.Count == 0, "case work's reference shown outside case work:\n" + string.Join("\n", references));
        Assert.DoesNotContain(employer.Keys, id => identifiers[id] == "trainee_number");
        Assert.DoesNotContain(provider.Keys, id => identifiers[id] == "handle");
    }

    /// <summary>Every identifier of the world's two seekers, with its kind.</summary>
    private async Task<Dictionary<string, string>> IdentifiersAsync(SecurityWorld world)
    {
        long[] seekers = [world.Own.Seeker.Id, world.Other.Seeker.Id];
        await using var c = await database.DataSource.OpenConnectionAsync();
        var rows = await c.QueryAsync<(string Id, string Kind)>(
            """
            SELECT reference, 'reference' FROM seeker WHERE id = ANY (@seekers)
            UNION ALL SELECT handle, 'handle' FROM match WHERE seeker_id = ANY (@seekers)
            UNION ALL SELECT number, 'trainee_number' FROM trainee_number WHERE seeker_id = ANY (@seekers)
            """, new { seekers });
        return rows.ToDictionary(r => r.Id, r => r.Kind);
    }

    /// <summary>Which identifiers appear in the role's responses, each with the first path it appeared on.</summary>
    private static async Task<Dictionary<string, string>> SeenAsync(SecurityWorld world, string role, IReadOnlyDictionary<string, string> identifiers)
    {
        var client = world.Clients[role];
        var seen = new Dictionary<string, string>();
        foreach (var path in CrawlPaths.Readable(world, role).SelectMany(e => CrawlPaths.Of(e.Route, world)).Distinct())
        {
            using var response = await client.GetAsync(path);
            var text = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)))
                + await response.Content.ReadAsStringAsync();
            foreach (Match token in Token().Matches(text))
            {
                if (identifiers.ContainsKey(token.Value.ToUpperInvariant())) seen.TryAdd(token.Value.ToUpperInvariant(), path);
            }
        }
        return seen;
    }

    /// <summary>Anything shaped like a reference (JS-XXXXXX), a handle (C-XXXXXXXX) or a trainee number (T-XXXXXXXX).</summary>
    [GeneratedRegex(@"(?<![A-Z0-9-])(JS-[0-9A-Z]{6}|[CT]-[0-9A-Z]{8})(?![A-Z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Token();
}
