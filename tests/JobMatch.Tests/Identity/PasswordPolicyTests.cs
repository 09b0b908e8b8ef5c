using Microsoft.AspNetCore.Builder;
using System.Buffers.Binary;
using Dapper;
using JobMatch.Identity;
using JobMatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace JobMatch.Tests.Identity;

/// <summary>R11: passwords are stored as PBKDF2-HMAC-SHA512 with 600,000 iterations; very common passwords are refused.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PasswordPolicyTests(PostgresFixture database) : IAsyncLifetime
{
    private JobMatchApp _app = null!;

    public Task InitializeAsync()
    {
        // The production iteration count: without the suite's lowered test setting.
        _app = new JobMatchApp(database, new Dictionary<string, string?> { ["Identity:TestPasswordIterations"] = "" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task StoredHash_IsPbkdf2HmacSha512_WithAtLeast600000Iterations()
    {
        var user = await _app.CreateUserAsync(Roles.Employer, await _app.CreateOrganisationAsync("employer"));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var stored = await connection.ExecuteScalarAsync<string>("SELECT password_hash FROM app_user WHERE id = @Id", new { user.Id });

        // Identity V3 format: 0x01 | PRF (uint32 BE) | iterations (uint32 BE) | salt length (uint32 BE) | salt | subkey
        var bytes = Convert.FromBase64String(stored!);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u /* KeyDerivationPrf.HMACSHA512 */, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)) >= 600_000);
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        Assert.True(saltLength >= 16);
        Assert.True(bytes.Length - 13 - saltLength >= 32); // a 256-bit subkey
    }

    [Fact]
    public void TestPasswordIterations_AreIgnored_OutsideTheTestingEnvironment()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Identity:TestPasswordIterations"] = "1000";
        builder.AddJobMatchIdentity();
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Equal(600_000, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PasswordHasherOptions>>().Value.IterationCount);
    }

    [Theory]
    [InlineData("password1")]
    [InlineData("PASSWORD1")]
    [InlineData("qwertyuiop")]
    [InlineData("1234567890")]
    [InlineData("Bangladesh2024!")]
    [InlineData("iloveyou123")]
    public void CommonPassword_IsRecognised(string password) => Assert.True(CommonPasswordValidator.IsCommon(password));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("amar nouka bhashlo shagore dheu")]
    public void UncommonPassphrase_IsNotRecognised(string password) => Assert.False(CommonPasswordValidator.IsCommon(password));

    [Theory]
    [InlineData("password1")]
    [InlineData("qwertyuiop")]
    [InlineData("Bangladesh2024!")]
    public async Task CreatingAnAccount_IsRefused_WhenPasswordIsCommon(string password)
    {
        var result = await CreateAsync(password);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == CommonPasswordValidator.ErrorCode);
    }

    [Fact]
    public async Task CreatingAnAccount_Succeeds_WithA64CharacterPassphraseWithSpaces()
    {
        const string passphrase = "the tide at inani beach comes in twice a day and I remember that";
        Assert.Equal(64, passphrase.Length);

        var result = await CreateAsync(passphrase);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Code)));
    }

    private async Task<IdentityResult> CreateAsync(string password)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.CreateAsync(new AppUser
        {
            UserName = $"seeker-{Guid.NewGuid():N}@test.jobmatch.local",
            Role = Roles.JobSeeker,
            DisplayName = "Test seeker",
        }, password);
    }
}
