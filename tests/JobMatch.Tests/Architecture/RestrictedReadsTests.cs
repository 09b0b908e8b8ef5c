using System.Reflection;
using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// Least privilege (R4, issue 14): what an employer's or a training provider's request reads, and the data of the
/// e-mails employers get, is read under a restricted role (<c>EmployerReads</c>, <c>ProviderReads</c>: <c>SET LOCAL
/// ROLE</c> in the read's transaction), so a query there that strays into the case file or the identities fails
/// with 42501 (<c>Database/DatabaseRolesTests</c>). This test keeps new code from forgetting it: it collects the
/// classes those requests use (the constructor parameters of every page model under Pages/Employer and
/// Pages/Training, the handler parameters of their API endpoint classes, and the classes those depend on) and reads
/// their compiled code (async state machines included). A method there that opens a plain connection of the app
/// (<c>NpgsqlDataSource.OpenConnection*</c>, <c>CreateConnection</c>, <c>new NpgsqlConnection</c>) fails, unless it is
/// listed below with the reason it needs the app's own privileges (a write, another role's read).
/// </summary>
public sealed partial class RestrictedReadsTests
{
    private static readonly string[] FacingPageNamespaces = ["JobMatch.Pages.Employer", "JobMatch.Pages.Training"];

    /// <summary>The API endpoint classes of employers and providers, and the background work that writes employers' e-mails.</summary>
    private static readonly Type[] FacingRoots =
    [
        typeof(JobMatch.Vacancies.VacancyEndpoints), typeof(JobMatch.Employers.EmployerEndpoints), typeof(JobMatch.Matching.ShortlistEndpoints),
        typeof(JobMatch.Matching.CheckinEndpoints), typeof(JobMatch.Training.TrainingEndpoints), typeof(JobMatch.Training.DemandEndpoints),
        typeof(JobMatch.Notifications.EmployerDigests), typeof(JobMatch.Matching.RetentionCheckins),
    ];

    /// <summary>Classes not followed: gates that must read with the app's privileges, and audited for it.</summary>
    private static readonly Dictionary<string, string> Gates = new(StringComparer.Ordinal)
    {
        ["JobMatch.Seekers.SeekerContact"] = "the consented contact read (purpose-checked, audited)",
        ["JobMatch.Seekers.SeekerFirstNames"] = "first names only, audited",
        ["JobMatch.Consent.ConsentQueries"] = "consent checks and writes",
        ["JobMatch.Audit.AuditLog"] = "writes audit rows",
        ["JobMatch.Vacancies.Taxonomy"] = "public reference data (sectors, skills, upazilas), cached once for every role and the anonymous board",
        ["JobMatch.Notifications.Outbox"] = "writes outbox rows",
        ["JobMatch.Notifications.CaseWorkerAlerts"] = "alerts case workers (case work's audience)",
        ["JobMatch.Matching.MatchTransitions"] = "moves a match (writes), checking the one rule",
        ["JobMatch.Vacancies.VacancyEvents"] = "writes vacancy events",
        ["JobMatch.Identity.UserAccounts"] = "accounts and organisations (admins create employers' accounts): writes",
    };

    /// <summary>Methods of employer- and provider-facing classes that may use a connection with the app's privileges.</summary>
    private static readonly Dictionary<string, string> OwnConnection = new(StringComparer.Ordinal)
    {
        ["JobMatch.Vacancies.VacancyQueries.CreateDraftAsync"] = "writes a draft",
        ["JobMatch.Vacancies.VacancyQueries.UpdateAsync"] = "writes a vacancy",
        ["JobMatch.Vacancies.VacancyQueries.CopyAsync"] = "writes a copy",
        ["JobMatch.Vacancies.VacancyQueries.CloseExpiredAsync"] = "closes expired vacancies (system job)",
        ["JobMatch.Vacancies.VacancyLifecycle.PublishAsync"] = "writes the status",
        ["JobMatch.Vacancies.VacancyLifecycle.CloseAsync"] = "writes the status",
        ["JobMatch.Employers.EmployerQueries.SaveProfileAsync"] = "writes the profile",
        ["JobMatch.Employers.EmployerQueries.ListAsync"] = "admins' and chamber admins' list (not employer-facing)",
        ["JobMatch.Employers.EmployerQueries.ChoicesAsync"] = "admins' pick list (not employer-facing)",
        ["JobMatch.Employers.EmployerAccounts.CreateAsync"] = "admins create employer accounts",
        ["JobMatch.Employers.EmployerVetting.VerifyAsync"] = "admins' vetting (writes)",
        ["JobMatch.Employers.EmployerVetting.SuspendAsync"] = "admins' vetting (writes)",
        ["JobMatch.Employers.EmployerVetting.ReinstateAsync"] = "admins' vetting (writes)",
        ["JobMatch.Matching.ShortlistViewLimit.TryViewAsync"] = "counts views (writes the window row)",
        ["JobMatch.Matching.OutcomeRecorder.InviteAsync"] = "writes the invitation",
        ["JobMatch.Matching.OutcomeRecorder.RecordAsync"] = "writes the outcome",
        ["JobMatch.Matching.CheckinAnswers.StillEmployedAsync"] = "writes the answer",
        ["JobMatch.Matching.CheckinAnswers.LeftAsync"] = "writes the answer",
        ["JobMatch.Matching.CheckinQueries.FollowUpsAsync"] = "case workers' follow-ups (not employer-facing)",
        ["JobMatch.Training.CourseQueries.CreateAsync"] = "writes a course",
        ["JobMatch.Training.CourseQueries.CompleteAsync"] = "writes a completion and skills",
        ["JobMatch.Training.UploadStore.UploadAsync"] = "writes the staged rows (COPY)",
        ["JobMatch.Training.UploadCommit.CommitAsync"] = "merges an upload (writes)",
        ["JobMatch.Seekers.SeekerSkills.ListAsync"] = "case work's and the seeker's own read; providers reach SeekerSkills only to write",
        ["JobMatch.Seekers.SeekerSkills.UpsertAsync"] = "writes a skill record",
        ["JobMatch.Seekers.SeekerSkills.DeleteAsync"] = "deletes a skill record",
        ["JobMatch.Notifications.EmployerDigests.SendAsync"] = "marks matches notified and enqueues the digest; reads what the e-mail shows after SET LOCAL ROLE jm_employer_api",
        ["JobMatch.Matching.RetentionCheckins.ScheduleAsync"] = "writes check-ins (system)",
        ["JobMatch.Matching.RetentionCheckins.AskDueAsync"] = "marks check-ins asked and enqueues; reads what the e-mail shows after SET LOCAL ROLE jm_employer_api",
        ["JobMatch.Matching.RetentionCheckins.CloseUnansweredAsync"] = "case work's alert (writes)",
    };

    [Fact]
    public void EmployerAndProviderReads_RunUnderTheRestrictedRole()
    {
        using var module = ModuleDefinition.ReadModule(Folders.App.Location);
        var facing = FacingTypes();

        var plain = PlainConnectionOpeners(module, facing).ToList();
        var violations = plain.Where(m => !OwnConnection.ContainsKey(m)).Order(StringComparer.Ordinal).ToList();

        Assert.True(violations.Count == 0,
            "Employer- or provider-facing methods that open a plain connection (read through EmployerReads/ProviderReads, or list the write with its reason):\n"
            + string.Join("\n", violations));
        var stale = OwnConnection.Keys.Where(k => !plain.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Listed methods that no longer open a plain connection (drop them from the list):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void FacingTypes_IncludeThePagesQueriesAndTheirDependencies()
    {
        var facing = FacingTypes();

        // The guard is only as good as its reach: the classes behind each page and API, found without a list.
        Assert.Contains("JobMatch.Vacancies.VacancyQueries", facing);
        Assert.Contains("JobMatch.Employers.EmployerQueries", facing);
        Assert.Contains("JobMatch.Matching.ShortlistQueries", facing);
        Assert.Contains("JobMatch.Matching.CheckinQueries", facing);
        Assert.Contains("JobMatch.Training.TraineeQueries", facing);
        Assert.Contains("JobMatch.Training.CourseQueries", facing);
        Assert.Contains("JobMatch.Training.UploadCommit", facing);
        Assert.Contains("JobMatch.Training.DemandQueries", facing); // through DemandReport
        Assert.DoesNotContain("JobMatch.Seekers.SeekerContact", facing);
    }

    /// <summary>Full names of the app's classes employer and provider requests use (gates left out, not followed).</summary>
    private static HashSet<string> FacingTypes()
    {
        var app = Folders.App;
        var roots = new List<Type>();
        foreach (var page in app.GetTypes().Where(t => FacingPageNamespaces.Contains(t.Namespace) && typeof(Microsoft.AspNetCore.Mvc.RazorPages.PageModel).IsAssignableFrom(t)))
        {
            roots.AddRange(page.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType));
        }
        foreach (var root in FacingRoots)
        {
            roots.Add(root);
            // Minimal-API handlers are lambdas: their parameters (the services they ask for) sit on compiler-made methods.
            foreach (var nested in root.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public).Append(root))
            {
                roots.AddRange(nested.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                    .SelectMany(m => m.GetParameters()).Select(p => p.ParameterType));
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            if (type.Assembly != app || type.FullName is not { } name || Gates.ContainsKey(name) || !seen.Add(name)) continue;
            foreach (var parameter in type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).SelectMany(c => c.GetParameters()))
            {
                queue.Enqueue(parameter.ParameterType);
            }
        }
        return seen;
    }

    /// <summary>"Namespace.Type.Method" of each method of <paramref name="types"/> that opens a plain connection.</summary>
    internal static IEnumerable<string> PlainConnectionOpeners(ModuleDefinition module, IReadOnlySet<string> types)
    {
        foreach (var type in module.Types.Where(t => types.Contains(t.FullName)))
        {
            foreach (var (owner, method) in WithStateMachines(type))
            {
                if (method.HasBody && method.Body.Instructions.Any(OpensPlainConnection)) yield return $"{type.FullName}.{owner}";
            }
        }
    }

    /// <summary>Each method with the source method it belongs to (an async method's body lives in its state machine's MoveNext).</summary>
    private static IEnumerable<(string Owner, MethodDefinition Method)> WithStateMachines(TypeDefinition type)
    {
        foreach (var method in type.Methods) yield return (method.Name, method);
        foreach (var nested in type.NestedTypes)
        {
            // <ListAsync>d__3 (state machine), <>c / <>c__DisplayClass (lambdas: named after their method, <ListAsync>b__0)
            var owner = StateMachineOwner().Match(nested.Name) is { Success: true } m ? m.Groups[1].Value : null;
            foreach (var (inner, method) in WithStateMachines(nested))
            {
                var lambda = StateMachineOwner().Match(inner) is { Success: true } l ? l.Groups[1].Value : null;
                yield return (owner ?? lambda ?? inner, method);
            }
        }
    }

    private static bool OpensPlainConnection(Instruction instruction) =>
        instruction.Operand is MethodReference called
        && (instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt || instruction.OpCode == OpCodes.Newobj)
        && (called.DeclaringType.FullName is "Npgsql.NpgsqlDataSource" or "System.Data.Common.DbDataSource"
                && (called.Name.StartsWith("OpenConnection", StringComparison.Ordinal) || called.Name.StartsWith("CreateConnection", StringComparison.Ordinal))
            || called.DeclaringType.FullName == "Npgsql.NpgsqlConnection" && called.Name == ".ctor");

    [GeneratedRegex(@"^<([^>]+)>")]
    private static partial Regex StateMachineOwner();
}
