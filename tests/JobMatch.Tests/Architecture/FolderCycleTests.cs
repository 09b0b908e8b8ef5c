using NetArchTest.Rules;

namespace JobMatch.Tests.Architecture;

/// <summary>
/// Dependencies between feature folders point one way. The graph is built from the compiled app (a folder depends on
/// another when any of its types references one of the other's types); its strongly connected components are the
/// cycles. The cycles that remain are listed in <see cref="KnownCycles"/> (and in ARCHITECTURE.md) until they are
/// broken: a new cycle fails, and so does a listed one that is gone (update the list).
/// </summary>
public sealed class FolderCycleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Each cycle as its folders in order, joined with " ".</summary>
    private static readonly string[] KnownCycles =
    [
        // Empty since issue 19 untied the twelve-folder knot (Audit Consent Employers Identity Matching Notifications
        // Privacy Seekers Sms Training Vacancies Web): Web became a leaf (demo start-up to Demo, the error page to Pages,
        // the OpenAPI guard to Identity), Matching's contract (IMatchingTriggers, MatchRule, MatchStatus) to the leaf
        // MatchingContract, the case-work API that composes Seekers, Consent and Training to CaseWorkApi, re-encryption
        // to Operations, employers registered by Employers, retention check-ins to Matching, an SMS answer reaching
        // Matching through Sms's IOfferReplies, and the claim names the audit log reads to Web.
    ];

    [Fact]
    public void FolderGraph_HasOnlyTheKnownCycles()
    {
        var graph = Graph();
        foreach (var (folder, uses) in graph.OrderBy(p => p.Key, StringComparer.Ordinal)) output.WriteLine($"{folder} -> {string.Join(", ", uses.Order(StringComparer.Ordinal))}");
        var cycles = Cycles(graph).Select(c => string.Join(" ", c)).Order(StringComparer.Ordinal).ToList();
        foreach (var cycle in cycles) output.WriteLine($"cycle: {cycle}");

        Assert.Contains("Seekers", graph["Training"]); // control: a dependency that exists is seen (the graph is not empty)

        Assert.Equal(KnownCycles.Order(StringComparer.Ordinal), cycles);
    }

    /// <summary>The cycle finder sees a cycle when there is one.</summary>
    [Fact]
    public void Cycles_FindsTheCycle_WhenTwoFoldersUseEachOther()
    {
        var graph = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["A", "C"], ["C"] = [] };

        Assert.Equal(["A B"], Cycles(graph).Select(c => string.Join(" ", c)));
    }

    internal static Dictionary<string, HashSet<string>> Graph()
    {
        var folders = Folders.All();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var types = Types.InAssembly(Folders.App); // read once for all folders (one test thread: Cecil is not thread-safe)
        foreach (var target in folders)
        {
            foreach (var user in Folders.DependingOn(types, Folders.Namespace(target)).Where(u => u != target))
            {
                graph[user].Add(target);
            }
        }
        return graph;
    }

    /// <summary>Strongly connected components with more than one folder (Tarjan), each sorted.</summary>
    internal static List<List<string>> Cycles(IReadOnlyDictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node)) Visit(node);
        }
        return result;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != node);
            if (component.Count > 1) result.Add([.. component.Order(StringComparer.Ordinal)]);
        }
    }
}
