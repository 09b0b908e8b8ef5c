using JobMatch.Privacy;
using JobMatch.Seekers;
using JobMatch.Training;

namespace JobMatch.CaseWorkApi;

/// <summary>The skills database: seekers, consent, case files, training providers, encryption at rest.</summary>
internal static class SkillsDatabaseExtensions
{
    public static WebApplicationBuilder AddSkillsDatabase(this WebApplicationBuilder builder) =>
        builder.AddPrivacy().AddSeekers().AddTraining().AddTrainingDemand();

    public static void MapSkillsDatabase(this IEndpointRouteBuilder app)
    {
        app.MapSeekers();
        app.MapTraining();
        app.MapTrainingDemand();
    }
}
