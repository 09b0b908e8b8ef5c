using System.Text.RegularExpressions;
using JobMatch.Tests.Infrastructure;
using static JobMatch.Tests.Vacancies.BoardTestData;

namespace JobMatch.Tests.Vacancies;

/// <summary>
/// "Show skills" re-shows the vacancy form at <c>?handler=Skills</c>; the form's Save must still post to the
/// vacancy, not to that handler again (which re-showed the form and saved nothing; found by the browser journey).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class VacancyFormActionTests(PostgresFixture database)
{
    [Fact]
    public async Task VacancyForm_SavesToTheVacancy_AfterShowSkills()
    {
        await using var app = new JobMatchApp(database);
        var (client, _) = await EmployerClientAsync(app);
        var draft = await CreateDraftAsync(client, Input(Token()));

        foreach (var path in new[] { "/employer/vacancy", $"/employer/vacancy/{draft}" })
        {
            var formToken = await JobMatchApp.FormTokenAsync(client, path);
            var response = await client.PostAsync(path + "?handler=Skills", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = formToken, ["SkillSector"] = "handicrafts", ["Input.SectorCode"] = "handicrafts",
            }));
            var html = await response.Content.ReadAsStringAsync();

            Assert.Contains("id=\"skill-HND-005\"", html); // the other sector's skills are shown
            Assert.Equal(path, FormAction().Match(html).Groups[1].Value);
        }
    }

    [GeneratedRegex("<form method=\"post\" action=\"(/employer/vacancy[^\"]*)\"")]
    private static partial Regex FormAction();
}
