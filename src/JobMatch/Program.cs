using JobMatch;
using JobMatch.Audit;
using JobMatch.BackgroundJobs;
using JobMatch.CaseWorkApi;
using JobMatch.Chambers;
using JobMatch.Database;
using JobMatch.Demo;
using JobMatch.Employers;
using JobMatch.Identity;
using JobMatch.Matching;
using JobMatch.Notifications;
using JobMatch.Onboarding;
using JobMatch.Observability;
using JobMatch.Operations;
using JobMatch.Privacy;
using JobMatch.Reports;
using JobMatch.Seekers;
using JobMatch.Skills;
using JobMatch.Sms;
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
builder.AddLocalisedValidation(); // field errors and problem documents in the user's language
builder.AddApiAntiforgery();      // the JSON API shares the cookie, so it needs an antiforgery header
builder.AddHealth();              // /health/live and /health/ready (details and what to do for operators)
builder.AddReverseProxy();        // forwarded headers from listed proxies only; JobMatch:PublicBaseUrl for links that leave
builder.AddTelemetry();           // OpenTelemetry traces and metrics (nothing personal); OTLP when configured; /metrics
builder.AddReferenceData();       // taxonomy, sectors, upazilas from data/*.csv
builder.AddSkillsDatabase();      // seekers, consent, case files, training providers; personal fields encrypted (AES-GCM)
builder.AddJobBoard();            // vacancies, the public board, the CSV import
builder.AddEmployers();           // employers and their vetting
builder.AddMatching();            // candidate generation, ranking (model or rule fallback), proposals, model registry
builder.AddBackgroundJobs();      // Hangfire on PostgreSQL; the server only where BackgroundJobs:RunServer is true
builder.AddNotifications();       // e-mail outbox, dispatcher, MailKit or .eml files; SMTP settings validated at start
builder.AddSms();                 // SMS channel of the outbox: Kannel or files; answers by reply, delivery reports
builder.AddShortlists();          // case-worker review, employer shortlists with comparison, invitations, outcomes
builder.AddOffers();              // the seeker's offers (accept = consent to share contact), case-worker relay, retention check-ins
builder.AddReports();             // programme figures for admins: funnel, placements, retention; SVG charts and CSV
builder.AddChambers();            // chamber admins vet their own body's members and read its figures
builder.AddOnboarding();          // partners' organisations and staff invitations, without SQL
builder.Services.AddRazorPages().AddMvcOptions(o => o.Filters.Add<UnknownPageHandler>()); // a POST naming no handler is 404, not a 500
builder.Services.AddExceptionHandler<ErrorHandling>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddApiDescription();  // public OpenAPI document of the anonymous routes; the full one for staff

var app = builder.Build();

try
{
    app.MigrateDatabase();            // DbUp scripts, safe when several processes start at once
    await app.EnsureEncryptionKeyOpensDataAsync(); // after a restore without the right key: refuse, never mix key rings
    app.EnsureKeyRingReadable();      // F10: a node with another key-encryption key refuses to start
    await app.ProtectSignInNamesAsync(); // accounts from before migration 1400: sign-in names to blind index + ciphertext
    await app.IndexSeekerEmailsAsync(); // identities from before migration 1310: the e-mail blind index for duplicate checks
    await app.LoadReferenceDataAsync();
    await app.CreateDemoDataAsync();  // demo mode: only against the embedded database with no users yet
}
catch (Exception e)
{
    app.Services.GetService<EmbeddedPostgres>()?.Stop(); // do not leave the embedded cluster behind
    if (e is not StartupRefusedException) throw;
    app.Logger.LogCritical("{Refusal}", e.Message);
    return StartupChecks.ExitCode;
}

app.UseReverseProxy();
app.UseErrorPages();              // 404/403/429/500 as pages in the site frame; problem documents under /api
app.UseHostileInputGuard();       // control characters and lone surrogates in path, query, headers or form: 400
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseAuthentication();
app.MapTelemetry();               // after authentication: /metrics is for operators
app.UseRequestLocalization();     // after authentication: a signed-in user's language preference counts
app.UseOutputCache();             // after localisation: the public board's cached pages vary by language (Vacancies/BoardCache)
app.UseSignInRateLimits();        // throttles shared by all nodes (PostgreSQL): sign-in per address and user name (a known device apart), self-registration per address
app.UseAuthorization();
app.UseAntiforgery();
app.UseApiAntiforgery();

app.MapHealth();
app.MapAccount();
app.MapLanguageSwitch();
app.MapAntiforgeryToken();
app.MapSkillsDatabase();
app.MapJobBoard();
app.MapEmployers();
app.MapShortlists();
app.MapOffers();
app.MapSms();                    // /sms/dlr and /sms/mo: the gateway's callbacks (shared secret, loopback)
app.MapReports();
app.MapApiDescription();
app.MapChambers();
app.MapOnboarding();                // staff invitations by API (the pages are under Pages/Admin and Pages/CaseWork)
app.MapRazorPages();
app.MapBackgroundJobs();          // Hangfire dashboard at /admin/jobs, admins only

app.Run();
return 0;
