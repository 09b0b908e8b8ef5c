using System.Globalization;
using JobMatch.Tests.Infrastructure;
using JobMatch.Tests.Vacancies;
using JobMatch.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace JobMatch.Tests.Web;

/// <summary>
/// Counts read right in both languages (issue 16: "1 vacancies found", "At 1 months"): resource strings carry their
/// plural forms and .NET's composite formatting picks one (Plurals), through every localizer of the app.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PluralTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("en", 1, "1 vacancy found")]
    [InlineData("en", 0, "0 vacancies found")]
    [InlineData("en", 21, "21 vacancies found")]
    [InlineData("bn", 1, "1টি চাকরি পাওয়া গেছে")]
    [InlineData("bn", 21, "21টি চাকরি পাওয়া গেছে")]
    public async Task BoardCount_ReadsRight_InBothLanguages(string language, int count, string expected)
    {
        var app = shared.For(database);

        Assert.Equal(expected, In(language, () => app.Services.GetRequiredService<IStringLocalizer<JobMatch.Vacancies.BoardText>>()["Found", count].Value));
    }

    [Theory]
    [InlineData("en", 1, "At 1 month")]
    [InlineData("en", 6, "At 6 months")]
    [InlineData("bn", 1, "1 মাসে")]
    [InlineData("bn", 6, "6 মাসে")]
    public async Task RetentionMonths_ReadsRight_InBothLanguages(string language, int months, string expected)
    {
        var app = shared.For(database);

        Assert.Equal(expected, In(language, () => app.Services.GetRequiredService<IStringLocalizer<JobMatch.Reports.ReportText>>()["RetentionMonths", months].Value));
    }

    [Theory]
    [InlineData("en", 1, "one")]
    [InlineData("en", 0, "other")]
    [InlineData("bn", 0, "one")]
    [InlineData("bn", 1, "one")]
    [InlineData("bn", 2, "other")]
    public void Category_FollowsCldr(string language, int n, string expected) =>
        Assert.Equal(expected, Plurals.Category(CultureInfo.GetCultureInfo(language), n));

    [Fact]
    public void Format_LeavesStringsWithoutPluralFormsAsDotNetWould()
    {
        var en = CultureInfo.GetCultureInfo("en");

        Assert.Equal("3 of 4, 1,234", Plurals.Format(en, en, "{0} of {1}, {2:N0}", [3, 4, 1234]));
        Assert.Equal("1 row, 2 problems", Plurals.Format(en, en, "{0:plural:# row|# rows}, {1:plural:# problem|# problems}", [1, 2]));
    }

    [Fact]
    public async Task BoardPage_SaysOneVacancyFound_WhenOneMatches()
    {
        var app = shared.For(database);
        var token = BoardTestData.Token();
        await BoardTestData.InsertVacancyAsync(database.DataSource, await BoardTestData.CreateEmployerAsync(database.DataSource), $"Only {token}");

        var html = await app.CreatePlainClient().GetStringAsync($"/jobs?q={token}");

        Assert.Contains("1 vacancy found", html, StringComparison.Ordinal);
        Assert.DoesNotContain("1 vacancies", html, StringComparison.Ordinal);
    }

    private static string In(string language, Func<string> read)
    {
        var (ui, culture) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, culture);
        }
    }
}
