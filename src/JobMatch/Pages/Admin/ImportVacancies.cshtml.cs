using System.Text;
using JobMatch.Identity;
using JobMatch.Vacancies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages.Admin;

/// <summary>
/// Bulk vacancy import for a chamber admin: "Check" lists every bad row by line, column and reason and stores
/// nothing; "Import" stores all rows in one transaction, or nothing when any row is bad.
/// </summary>
[Authorize(Policy = Policies.Admin)]
[RequestSizeLimit(JobBoardExtensions.MaxImportBytes + 64 * 1024)]
internal sealed class ImportVacanciesModel(VacancyImport import, TimeProvider time) : PageModel
{
    public VacancyImport.Report? Report { get; private set; }
    public bool NoFile { get; private set; }

    public void OnGet() { }

    public Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken ct) => RunAsync(file, commit: false, ct);

    public Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct) => RunAsync(file, commit: true, ct);

    /// <summary>A template with the header row and one example row.</summary>
    public IActionResult OnGetTemplate()
    {
        var csv = string.Join(",", VacancyImport.Columns) + "\n" +
            "CCCI-0001,Sewing machine operator,সেলাই মেশিন অপারেটর,\"Operate lockstitch machines, 8 hours a day\",,8153,garments,coxs_bazar_sadar,,," +
            "12500,15000,wage,5,9am-6pm,day,women_friendly;written_contract,GAR-001:2:required,,2030-01-31,no\n";
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv", "vacancies-template.csv");
    }

    private async Task<IActionResult> RunAsync(IFormFile? file, bool commit, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            NoFile = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        Report = await import.RunAsync(reader, commit, BoardClock.Today(time), ct);
        if (commit && !Report.Committed) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
