using System.Reflection;
using Hangfire;
using Hangfire.Common;
using JobMatch.BackgroundJobs;

namespace JobMatch.Tests.BackgroundJobs;

/// <summary>
/// Hangfire stores job arguments in the database and shows them on the dashboard, so a job takes ids, enums and a
/// CancellationToken only — never a name, phone or address (R18).
/// </summary>
public sealed class JobArgumentTests
{
    private static readonly Type[] Allowed = [typeof(Guid), typeof(long), typeof(int), typeof(DateOnly), typeof(CancellationToken)];

    private static IEnumerable<Type> JobClasses() =>
        typeof(IHangfireJob).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IHangfireJob).IsAssignableFrom(t));

    [Fact]
    public void EveryJobMethod_TakesIdsEnumsAndCancellationTokenOnly()
    {
        var jobs = JobClasses().ToList();
        Assert.NotEmpty(jobs);
        var problems = new List<string>();
        foreach (var type in jobs)
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            Assert.NotEmpty(methods);
            foreach (var parameter in methods.SelectMany(m => m.GetParameters().Select(p => (Method: m, Parameter: p))))
            {
                var parameterType = Nullable.GetUnderlyingType(parameter.Parameter.ParameterType) ?? parameter.Parameter.ParameterType;
                if (!parameterType.IsEnum && !Allowed.Contains(parameterType))
                {
                    problems.Add($"{type.Name}.{parameter.Method.Name}({parameter.Parameter.Name}: {parameterType.Name})");
                }
            }
        }
        Assert.True(problems.Count == 0, "Job arguments must be ids: " + string.Join(", ", problems));
    }

    [Fact]
    public void EveryRecurringJob_IsAJobClassWithIdOnlyArguments_AndHasAUniqueId()
    {
        var manager = new CapturingRecurringJobManager();
        foreach (var schedule in RecurringJobs.All)
        {
            schedule.Register(manager, schedule.Id, schedule.DefaultCron, new RecurringJobOptions());
        }

        Assert.Equal(RecurringJobs.All.Length, manager.Jobs.Count);
        Assert.Equal(RecurringJobs.All.Length, RecurringJobs.All.Select(s => s.Id).Distinct().Count());
        foreach (var (id, job) in manager.Jobs)
        {
            Assert.True(typeof(IHangfireJob).IsAssignableFrom(job.Type), $"{id}: {job.Type.Name} is not marked IHangfireJob");
            Assert.All(job.Args, a => Assert.True(a is null or Guid or long or int or CancellationToken || a.GetType().IsEnum, $"{id}: argument {a}"));
        }
    }

    private sealed class CapturingRecurringJobManager : IRecurringJobManager
    {
        public Dictionary<string, Job> Jobs { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options)
        {
            Assert.False(Jobs.ContainsKey(recurringJobId));
            Jobs[recurringJobId] = job;
        }

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => Jobs.Remove(recurringJobId);
    }
}
