using Drover.Api;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>What the HTTP API does with bodies it cannot take: each refusal is a ProblemDetails that says what is wrong, the key
/// is checked before anything of the body is read, and nothing is started.</summary>
[Collection(SqliteCollection.Name)]
public sealed class ApiInputTests(SqliteMigrationLab lab)
{
    private readonly string _vm = "api-" + Guid.NewGuid().ToString("N")[..8];

    private string Body(string extra) => $$"""{"vm":"{{_vm}}","sourceHost":"{{lab.A.Name}}",{{extra}}}""";

    public static TheoryData<string, string> Unbindable() => new()
    {
        { "\"bandwidthMiBps\":\"fast\"", "bandwidthMiBps" },
        { "\"maxAttempts\":99999999999999", "maxAttempts" },
        { "\"migrationId\":\"not-a-uuid\"", "migrationId" },
        { "\"persistent\":\"yes\"", "persistent" },
        { "\"priority\":1.5", "priority" },
    };

    [Theory]
    [MemberData(nameof(Unbindable))]
    public async Task A_body_that_does_not_bind_is_a_400_naming_the_field_and_starts_nothing(string field, string named)
    {
        var response = await Post(Body(field), withKey: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(named, out var reasons), $"errors name {named}: {errors}");
        Assert.NotEmpty(reasons[0].GetString()!);
        Assert.Contains(named, problem.GetProperty("detail").GetString());
        await AssertNothingStarted();
    }

    [Theory]
    [InlineData("\"persistant\":true", "persistant")]            // a misspelt option, silently dropped, would run a migration not asked for
    [InlineData("\"destination\":\"kvm-x\"", "destination")]
    public async Task A_field_the_request_does_not_have_is_a_400_that_lists_the_fields_and_starts_nothing(string field, string named)
    {
        var response = await Post(Body(field), withKey: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = (await Problem(response)).GetProperty("errors").GetProperty(named)[0].GetString()!;
        Assert.Contains("not a field of this request", reason);
        Assert.Contains("persistent", reason);
        Assert.Contains("destinationHost", reason);
        await AssertNothingStarted();
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"live\"")]
    public async Task A_body_that_is_not_an_object_is_a_400_about_the_body(string json)
    {
        var response = await Post(json, withKey: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = (await Problem(response)).GetProperty("errors").GetProperty("body")[0].GetString()!;
        Assert.Contains("JSON object", reason);
        Assert.DoesNotContain("Drover.", reason);   // no type names of ours
        await AssertNothingStarted();
    }

    [Theory]
    [InlineData("state=Complete", "state", "Completed")]        // a misspelt filter would list nothing, as if there were none
    [InlineData("state=7", "state", "NeedsAttention")]
    [InlineData("limit=abc", "limit", "'abc' is not a whole number")]
    [InlineData("limit=100000000000", "limit", "is not a whole number in range")]
    public async Task A_query_that_does_not_read_is_a_400_naming_the_parameter(string query, string named, string said)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(lab.Coordinator.Url, "/api/migrations?" + query));
        request.Headers.Add("X-Api-Key", CoordinatorProcess.ApiKey);
        using var bare = new HttpClient();
        var response = await bare.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("The request is not valid", problem.GetProperty("title").GetString());
        var reason = problem.GetProperty("errors").GetProperty(named)[0].GetString()!;
        Assert.Contains(said, reason);
        Assert.DoesNotContain("Nullable", reason);
    }

    [Fact]
    public async Task A_state_filter_reads_in_any_case()
    {
        var lower = await lab.Coordinator.Get<List<MigrationView>>("/api/migrations?state=completed&limit=1000");
        var exact = await lab.Coordinator.Get<List<MigrationView>>("/api/migrations?state=Completed&limit=1000");

        Assert.Equal(exact.Select(m => m.Id), lower.Select(m => m.Id));
        Assert.All(lower, m => Assert.Equal("Completed", m.State));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_that_says_to_send_json_and_starts_nothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(lab.Coordinator.Url, "/api/migrations"))
        {
            Content = new StringContent($"vm={_vm}", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Api-Key", CoordinatorProcess.ApiKey);
        using var bare = new HttpClient();
        var response = await bare.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await Problem(response)).GetProperty("detail").GetString());
        await AssertNothingStarted();
    }

    [Fact]
    public async Task Broken_json_is_a_400_about_the_body()
    {
        var response = await Post("{\"vm\": \"" + _vm + "\", ", withKey: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("body", out _));
        await AssertNothingStarted();
    }

    [Fact]
    public async Task A_write_without_the_key_is_refused_before_its_body_is_read()
    {
        var broken = await Post("{ not json", withKey: false);
        Assert.Equal(HttpStatusCode.Unauthorized, broken.StatusCode);
        Assert.Equal("Missing or wrong API key", (await Problem(broken)).GetProperty("title").GetString());

        var huge = await Post(Body($"\"requestedBy\":\"{new string('x', 200 * 1024)}\""), withKey: false);
        Assert.Equal(HttpStatusCode.Unauthorized, huge.StatusCode);
        await AssertNothingStarted();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]   // chunked: the server cuts it off at the limit
    public async Task A_body_over_64_KiB_is_a_413(bool withLength)
    {
        var response = await Post(Body($"\"destinationHost\":\"{new string('x', 100 * 1024)}\""), withKey: true, withLength);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KiB", (await Problem(response)).GetProperty("detail").GetString());
        await AssertNothingStarted();
    }

    [Fact]
    public async Task A_request_without_a_source_for_a_vm_no_host_reports_is_a_400_naming_the_source()
    {
        var response = await Post($$"""{"vm":"{{_vm}}","destinationHost":"{{lab.B.Name}}"}""", withKey: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("SourceHost", out _) || problem.GetProperty("errors").TryGetProperty("sourceHost", out _), problem.ToString());
        Assert.Contains($"VM '{_vm}' is on no host the agents report", problem.GetProperty("detail").GetString());
        await AssertNothingStarted();
    }

    private async Task<HttpResponseMessage> Post(string json, bool withKey, bool withLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        HttpContent content = withLength ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(lab.Coordinator.Url, "/api/migrations")) { Content = content };
        if (withKey) request.Headers.Add("X-Api-Key", CoordinatorProcess.ApiKey);
        using var bare = new HttpClient();   // the lab's client sends the key on every request
        return await bare.SendAsync(request);
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task AssertNothingStarted()
    {
        var all = await lab.Coordinator.Get<List<MigrationView>>("/api/migrations?limit=1000");
        Assert.DoesNotContain(all, m => m.Vm == _vm);
    }

    /// <summary>A body whose length the client cannot know, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
