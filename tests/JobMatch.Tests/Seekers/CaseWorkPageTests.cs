using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;

namespace JobMatch.Tests.Seekers;

[Collection(PostgresCollection.Name)]
public sealed class CaseWorkPageTests(PostgresFixture database, SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task RegisterPage_CreatesSeeker_AndStaleProfileFormGetsConflict()
    {
        var app = shared.For(database);
        // The case worker's own language preference (Bangla) decides the page language.
        var (client, _) = await app.SignedInClientAsync(Roles.CaseWorker, language: "bn");
        var c = SeekerApi.Canaries.New();
        var token = await JobMatchApp.FormTokenAsync(client, "/casework/register");

        var posted = await client.PostAsync("/casework/register", Form(token, ("FullName", c.Name), ("Phone", c.Phone), ("Profile.Wants", "wage"), ("ConsentMethod", "in_person")));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var seekerPage = posted.Headers.Location!.ToString();
        var html = await client.GetStringAsync(seekerPage);
        Assert.Contains(c.Name, html);
        Assert.Contains("মিলানো যাবে", html); // Bangla page, matchable after consent

        var profileToken = await JobMatchApp.FormTokenAsync(client, seekerPage + "/profile");
        var first = await client.PostAsync(seekerPage + "/profile?handler=Profile", Form(profileToken, ("Version", "1"), ("Profile.Wants", "self")));
        var stale = await client.PostAsync(seekerPage + "/profile?handler=Profile", Form(profileToken, ("Version", "1"), ("Profile.Wants", "any")));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Fact]
    public async Task CaseFile_Refuses400WithThePagesSentenceInTheRequestsLanguage_AndSavesNothing_OnApiAndPage()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var reference = await SeekerApi.RegisterAsync(client, SeekerApi.Canaries.New());
        var api = $"/api/casework/seekers/{reference}/casefile";

        using var bangla = new HttpRequestMessage(HttpMethod.Put, api) { Content = JsonContent.Create(new { version = 0, survivorStatus = "celebrity" }) };
        bangla.Headers.AcceptLanguage.ParseAdd("bn");
        var unknownStatus = await client.SendAsync(bangla);
        var tooLong = await client.PutAsJsonAsync(api, new { version = 0, referralSource = new string('x', 501) });
        var emptyNote = await client.PostAsJsonAsync(api + "/notes", new { body = " " });

        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus.StatusCode);
        Assert.Equal("তালিকা থেকে একটি অবস্থা বেছে নিন; রেফারেলের উৎস সর্বোচ্চ ৫০০ অক্ষর।", await ErrorAsync(unknownStatus, "survivorStatus"));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("Choose a status from the list; the referral source is at most 500 characters.", await ErrorAsync(tooLong, "referralSource"));
        Assert.Equal(HttpStatusCode.BadRequest, emptyNote.StatusCode);
        Assert.Equal("A note needs 1 to 10,000 characters.", await ErrorAsync(emptyNote, "body"));

        var page = $"/casework/seekers/{reference}/casefile";
        var token = await JobMatchApp.FormTokenAsync(client, page);
        foreach (var (status, source) in new[] { ("celebrity", ""), ("", new string('x', 501)) })
        {
            var posted = await client.PostAsync(page + "?handler=Save", Form(token, ("version", "0"), ("survivorStatus", status), ("referralSource", source)));
            Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
            Assert.Contains("Choose a status from the list; the referral source is at most 500 characters.", await posted.Content.ReadAsStringAsync());
        }

        var file = await client.GetFromJsonAsync<JsonElement>(api);
        Assert.Equal(0, file.GetProperty("version").GetInt64());
        Assert.Empty(file.GetProperty("notes").EnumerateArray());
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response, string field) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field)[0].GetString();

    [Fact]
    public async Task SeekerWithPassword_SignsInWithPhoneNumber()
    {
        var app = shared.For(database);
        var client = await SeekerApi.CaseWorkerAsync(app);
        var c = SeekerApi.Canaries.New();
        var reference = await SeekerApi.RegisterAsync(client, c);
        var set = await client.PostAsync($"/api/casework/seekers/{reference}/password",
            System.Net.Http.Json.JsonContent.Create(new { password = "seeker password 123" }));
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);

        var seeker = app.CreatePlainClient();
        var signIn = await JobMatchApp.SignInAsync(seeker, "0" + c.Phone[4..], "seeker password 123");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/me/offers", signIn.Headers.Location!.ToString());
    }

    [Fact]
    public async Task TrainingPages_Render_ForProvider()
    {
        var app = shared.For(database);
        var (provider, _) = await app.SignedInClientAsync(Roles.TrainingProvider);

        foreach (var path in new[] { "/training", "/training/upload", "/training/courses" })
        {
            var response = await provider.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await provider.GetAsync("/casework")).StatusCode);
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));
}
