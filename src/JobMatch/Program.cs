using JobMatch;
using JobMatch.Audit;
using JobMatch.BackgroundJobs;
using JobMatch.Database;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Notifications;
using JobMatch.Reports;
using JobMatch.Seekers;
using JobMatch.Skills;
using JobMatch.Vacancies;
using JobMatch.Web;

if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddDatabase();            // NpgsqlDataSource; the embedded PostgreSQL cluster when nothing is configured
builder.AddJobMatchIdentity();    // Identity on Dapper stores, cookie sign-in, policies, keys in PostgreSQL
builder.AddAudit();               // append-only audit log of sign-ins and reads of personal data
builder.AddLocalisation();        // English and Bangla
builder.AddApiAntiforgery();      // the JSON API shares the cookie, so it needs an antiforgery header
builder.AddHealth();              // /health/live and /health/ready
builder.AddReferenceData();       // taxonomy, sectors, upazilas from data/*.csv
builder.AddSkillsDatabase();      // seekers, consent, case files, training providers; personal fields encrypted (AES-GCM)
builder.AddJobBoard();            // employers and their vetting, vacancies, the public board
builder.AddMatching();            // candidate generation, ranking (model or rule fallback), proposals, model registry
builder.AddBackgroundJobs();      // Hangfire on PostgreSQL; the server only where BackgroundJobs:RunServer is true
builder.AddNotifications();       // e-mail outbox, dispatcher, MailKit or .eml files; SMTP settings validated at start
builder.AddShortlists();          // case-worker review, employer shortlists with comparison, invitations, outcomes
builder.AddOffers();              // the seeker's offers (accept = consent to share contact), case-worker relay, retention check-ins
builder.AddReports();             // programme figures for admins: funnel, placements, retention; SVG charts and CSV
builder.Services.AddRazorPages().AddMvcOptions(o => o.Filters.Add<UnknownPageHandler>()); // a POST naming no handler is 404, not a 500
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ErrorHandling>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddOpenApi();

var app = builder.Build();

try
{
    app.MigrateDatabase();            // DbUp scripts, safe when several processes start at once
    await app.ProtectSignInNamesAsync(); // accounts from before migration 1400: sign-in names to blind index + ciphertext
    await app.LoadReferenceDataAsync();
    await app.CreateDemoDataAsync();  // demo mode: only against the embedded database with no users yet
}
catch
{
    app.Services.GetService<EmbeddedPostgres>()?.Stop(); // do not leave the embedded cluster behind
    throw;
}

app.UseExceptionHandler();
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseAuthentication();
app.UseRequestLocalization();     // after authentication: a signed-in user's language preference counts
app.UseAuthorization();
app.UseAntiforgery();
app.UseApiAntiforgery();

app.MapHealth();
app.MapAccount();
app.MapLanguageSwitch();
app.MapAntiforgeryToken();
app.MapSkillsDatabase();
app.MapJobBoard();
app.MapShortlists();
app.MapOffers();
app.MapReports();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapRazorPages();
app.MapBackgroundJobs();          // Hangfire dashboard at /admin/jobs, admins only

app.Run();
return 0;
