using JobMatch.Vacancies;

namespace JobMatch.Tests.Vacancies;

/// <summary>A skill typed the way people know it (issue 16): code in any case, or the whole English or Bangla name.</summary>
public sealed class SkillLookupTests
{
    private static readonly TaxonomySnapshot Taxonomy = new([], [],
    [
        new SkillRef { Id = 1, Code = "HOS-003", NameEn = "Housekeeping supervision", NameBn = "হাউসকিপিং তদারকি", SectorCode = "hospitality" },
        new SkillRef { Id = 2, Code = "AGR-010", NameEn = "Dry fish processing", NameBn = "শুঁটকি প্রক্রিয়াজাতকরণ", SectorCode = "agriculture" },
    ], []);

    [Theory]
    [InlineData("HOS-003")]
    [InlineData(" hos-003 ")]
    [InlineData("housekeeping   SUPERVISION")]
    [InlineData("হাউসকিপিং তদারকি")]
    public void FindSkill_FindsTheSkill_ByCodeInAnyCaseOrWholeName(string typed) =>
        Assert.Equal("HOS-003", Taxonomy.FindSkill(typed)?.Code);

    [Fact]
    public void FindSkill_FindsBanglaName_WhenTypedWithAnotherCodePointSequence()
    {
        // য় typed as the one code point U+09DF; the list holds য + ় (U+09AF U+09BC), which is also what NFC gives.
        var precomposed = "শুঁটকি প্রক্রিয়াজাতকরণ".Replace("\u09AF\u09BC", "\u09DF", StringComparison.Ordinal);
        Assert.NotEqual("শুঁটকি প্রক্রিয়াজাতকরণ", precomposed);

        Assert.Equal("AGR-010", Taxonomy.FindSkill(precomposed)?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("housekeeping")] // part of a name is not a choice
    [InlineData("HOS-999")]
    public void FindSkill_FindsNothing_WhenTheTextIsNotACodeOrWholeName(string typed) => Assert.Null(Taxonomy.FindSkill(typed));
}
