namespace JobMatch.Skills;

internal static class ReferenceDataExtensions
{
    public static WebApplicationBuilder AddReferenceData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReferenceData>();
        return builder;
    }

    public static async Task LoadReferenceDataAsync(this WebApplication app) =>
        await app.Services.GetRequiredService<ReferenceData>().LoadAsync(ReferenceData.DefaultDirectory(app.Configuration), CancellationToken.None);
}
