using System.Net;
using System.Reflection;
using System.Text.Json;
using JobMatch.Matching;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Matching;

/// <summary>
/// security.md R1 DTO allow-list: the employer's candidate card may carry exactly these JSON properties. Adding one
/// means changing this list, in review. "contact.*" is filled only after consent (FlowCanaryTests).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FlowCardAllowListTests(PostgresFixture database)
{
    private static readonly string[] AllowedCard =
    [
        "handle", "status", "experienceBand", "ageBand", "availableFrom",
        "skills[].code", "skills[].nameEn", "skills[].nameBn", "skills[].level", "skills[].source", "skills[].certified",
        "skills[].certifiedYear", "skills[].experienceBand",
        "upazila.code", "upazila.nameEn", "upazila.nameBn",
        "explanation.requiredMet[]", "explanation.requiredMissing[]", "explanation.niceMet[]", "explanation.niceMissing[]", "explanation.distanceKm",
        "explanation.wageFit", "explanation.reasons[].feature", "explanation.reasons[].direction",
        "contact.fullName", "contact.phone",
    ];

    [Fact]
    public void CandidateCard_HasExactlyTheAllowedProperties()
    {
        Assert.Equal(AllowedCard.Order(), PathsOf(typeof(CandidateCard), "").Order());
    }

    [Fact]
    public async Task CandidateCardFromTheApi_HasOnlyAllowedProperties()
    {
        await using var app = new JobMatchApp(database, FlowWorld.Settings());
        var world = new FlowWorld(app, database);
        var worker = await world.CaseWorkerAsync();
        var seeker = await world.SeekerAsync(worker);
        var employer = await world.EmployerAsync();
        var vacancy = await world.VacancyAsync(employer.Id);
        var matchId = await world.ProposeAndApproveAsync(vacancy, worker, seeker);
        await world.AcceptAsync(worker, seeker, employer.Id, vacancy, matchId);

        var response = await employer.Client.GetAsync($"/api/employer/vacancies/{vacancy}/candidates/{await world.HandleAsync(vacancy, seeker.Id)}");
        var shortlist = await employer.Client.GetStringAsync($"/api/employer/vacancies/{vacancy}/shortlist");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = PathsOf(card, "").ToHashSet();
        Assert.Subset(AllowedCard.ToHashSet(), paths);
        Assert.Contains("contact.fullName", paths); // the walk reached the consented contact too
        var cards = JsonDocument.Parse(shortlist).RootElement.GetProperty("candidates").EnumerateArray();
        Assert.All(cards, c => Assert.Subset(AllowedCard.ToHashSet(), PathsOf(c, "").ToHashSet()));
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData(2010, "under-18")]
    [InlineData(2008, "18-24")]
    [InlineData(2002, "18-24")]
    [InlineData(2000, "25-34")]
    [InlineData(1991, "35-44")]
    [InlineData(1981, "45+")]
    public void AgeBand_IsCoarse(int? birthYear, string band) => Assert.Equal(band, ShortlistQueries.AgeBand(birthYear, 2026));

    [Theory]
    [InlineData(0, "under-6m")]
    [InlineData(5, "under-6m")]
    [InlineData(6, "6-24m")]
    [InlineData(24, "6-24m")]
    [InlineData(25, "2-5y")]
    [InlineData(60, "2-5y")]
    [InlineData(61, "over-5y")]
    public void ExperienceBand_IsCoarse(int months, string band) => Assert.Equal(band, CandidateHandle.ExperienceBand(months));

    /// <summary>JSON paths a type serialises to (camelCase; lists as name[]).</summary>
    private static IEnumerable<string> PathsOf(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = prefix + JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var element = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? t.GetGenericArguments()[0] : null;
            if (element is not null)
            {
                if (element == typeof(string)) yield return name + "[]";
                else foreach (var x in PathsOf(element, name + "[].")) yield return x;
            }
            else if (t.Namespace == typeof(CandidateCard).Namespace)
            {
                foreach (var x in PathsOf(t, name + ".")) yield return x;
            }
            else yield return name;
        }
    }

    private static IEnumerable<string> PathsOf(JsonElement e, string prefix)
    {
        foreach (var p in e.EnumerateObject())
        {
            var name = prefix + p.Name;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var x in PathsOf(p.Value, name + ".")) yield return x;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in p.Value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object) foreach (var x in PathsOf(item, name + "[].")) yield return x;
                        else yield return name + "[]";
                    }
                    break;
                default:
                    yield return name;
                    break;
            }
        }
    }
}
