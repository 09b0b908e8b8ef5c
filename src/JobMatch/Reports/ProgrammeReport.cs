using System.Globalization;
using Microsoft.Extensions.Localization;

namespace JobMatch.Reports;

/// <summary>Loads the figures and names their groups in the reader's language.</summary>
internal sealed class ProgrammeReport(ProgrammeQueries queries, IStringLocalizer<ReportText> text)
{
    public Task<ProgrammeFigures> LoadAsync(CancellationToken ct) => LoadAsync(null, ct);

    /// <summary>
    /// The programme's figures, or one membership body's (its members' vacancies). A body's totals are a part of the
    /// programme, as small as any breakdown cell, so they are suppressed like one.
    /// </summary>
    public async Task<ProgrammeFigures> LoadAsync(string? membership, CancellationToken ct)
    {
        var rows = await queries.CountsAsync(membership, ct);
        var vacancyIds = rows.Where(r => r.Dimension == "vacancy" && r.Key is not null).Select(r => long.Parse(r.Key!, CultureInfo.InvariantCulture));
        var names = await queries.NamesAsync(vacancyIds, ct);
        var bangla = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";
        return new ProgrammeFigures(rows, suppressTotal: membership is not null, (dimension, key) =>
        {
            if (key.Length == 0) return (text["NotRecorded"], null);
            if (dimension == "gender") return (text["Gender_" + key], null);
            return names.TryGetValue((dimension, key), out var n)
                ? ((bangla ? n.NameBn ?? n.NameEn : n.NameEn ?? n.NameBn) ?? key, n.Employer)
                : (key, null);
        });
    }
}
