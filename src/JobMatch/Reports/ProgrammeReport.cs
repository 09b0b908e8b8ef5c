using System.Globalization;
using Microsoft.Extensions.Localization;

namespace JobMatch.Reports;

/// <summary>Loads the figures and names their groups in the reader's language.</summary>
internal sealed class ProgrammeReport(ProgrammeQueries queries, IStringLocalizer<ReportText> text)
{
    public async Task<ProgrammeFigures> LoadAsync(CancellationToken ct)
    {
        var rows = await queries.CountsAsync(ct);
        var vacancyIds = rows.Where(r => r.Dimension == "vacancy" && r.Key is not null).Select(r => long.Parse(r.Key!, CultureInfo.InvariantCulture));
        var names = await queries.NamesAsync(vacancyIds, ct);
        var bangla = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "bn";
        return new ProgrammeFigures(rows, (dimension, key) =>
        {
            if (key.Length == 0) return (text["NotRecorded"], null);
            if (dimension == "gender") return (text["Gender_" + key], null);
            return names.TryGetValue((dimension, key), out var n)
                ? ((bangla ? n.NameBn ?? n.NameEn : n.NameEn ?? n.NameBn) ?? key, n.Employer)
                : (key, null);
        });
    }
}
