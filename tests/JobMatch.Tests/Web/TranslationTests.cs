using System.Xml.Linq;

namespace JobMatch.Tests.Web;

/// <summary>Every user-facing string exists in English and Bangla: each X.resx has an X.bn.resx with the same keys.</summary>
public sealed class TranslationTests
{
    [Fact]
    public void EveryResourceKey_HasBanglaTranslation()
    {
        var sourceRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/JobMatch"));
        var neutral = Directory.GetFiles(sourceRoot, "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".bn.resx", StringComparison.Ordinal) && !f.Contains("/bin/") && !f.Contains("/obj/"))
            .ToList();
        Assert.NotEmpty(neutral);

        var problems = new List<string>();
        foreach (var file in neutral)
        {
            var bangla = Path.ChangeExtension(file, null) + ".bn.resx";
            if (!File.Exists(bangla))
            {
                problems.Add($"{Path.GetFileName(file)}: no Bangla file");
                continue;
            }
            var en = Entries(file);
            var bn = Entries(bangla);
            problems.AddRange(en.Keys.Except(bn.Keys).Select(k => $"{Path.GetFileName(file)}: '{k}' missing in Bangla"));
            problems.AddRange(bn.Keys.Except(en.Keys).Select(k => $"{Path.GetFileName(bangla)}: '{k}' not in English"));
            problems.AddRange(bn.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{Path.GetFileName(bangla)}: '{p.Key}' is empty"));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static Dictionary<string, string> Entries(string path) =>
        XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
}
