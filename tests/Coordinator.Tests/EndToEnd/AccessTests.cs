using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Drover.Api;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// API identities on the real coordinator: keys made with the CLI (the configured key is an administrator's), each with a
/// role. A read key looks but cannot start or cancel (403), an unknown or revoked key gets 401, an operate key moves a VM and
/// the migration records who asked — the key's identity, whatever the body says — and every write leaves an audit line.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class AccessTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly string _vm = "access-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_read_key_cannot_start_or_cancel_an_operate_key_can_and_the_migration_records_its_identity()
    {
        await Lab.CreateGuest(lab.A, _vm);
        string reader = $"reader-{_suffix}", operatorName = $"ops-{_suffix}";
        string readKey = await AddKey(reader, "read"), operateKey = await AddKey(operatorName, "operate");
        var body = new StartMigrationRequest { Vm = _vm, SourceHost = lab.A.Name, DestinationHost = lab.B.Name };

        var refused = await Send(readKey, HttpMethod.Post, "/api/migrations", body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"'{reader}' has role Read; this needs Operate", await Detail(refused));
        Assert.Equal(HttpStatusCode.OK, (await Send(readKey, HttpMethod.Get, "/api/migrations", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("drv_not-a-key", HttpMethod.Post, "/api/migrations", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(operateKey, HttpMethod.Post, "/api/keys", new ApiKeyRequest { Name = "x", Role = ApiRole.Admin })).StatusCode);

        var accepted = await Send(operateKey, HttpMethod.Post, "/api/migrations", body);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<MigrationAccepted>(ApiJson.Options))!.Id;
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(readKey, HttpMethod.Post, $"/api/migrations/{id}/cancel", null)).StatusCode);

        var done = await new MigrationDriver(lab).Final(id);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Equal(operatorName, done.RequestedBy);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        string log = await File.ReadAllTextAsync(lab.Coordinator.LogPath);
        Assert.Contains($"Audit: {operatorName} POST /api/migrations -> 202", log);
        Assert.Contains($"Audit: {reader} POST /api/migrations -> 403", log);

        var (code, output, error) = await DroverCli.Run(lab.Coordinator, "keys", "revoke", operatorName);
        Assert.True(code == 0, error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(operateKey, HttpMethod.Get, "/api/keys", null)).StatusCode);
        var listed = await lab.Coordinator.Get<List<ApiKeyView>>("/api/keys");
        Assert.NotNull(Assert.Single(listed, k => k.Name == operatorName).RevokedAt);
        Assert.Equal(ApiRole.Read, Assert.Single(listed, k => k.Name == reader).Role);
        Assert.DoesNotContain(readKey, JsonSerializer.Serialize(listed));
        Assert.Contains($"{operatorName}'s key is revoked", output);
        var openApi = await lab.Coordinator.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.Equal("X-Api-Key", openApi.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_key_request_with_a_bad_name_or_no_role_or_a_taken_name_is_refused_with_the_reason()
    {
        string name = $"dup-{_suffix}";
        await AddKey(name, "operate");

        var taken = await lab.Coordinator.Http.PostAsJsonAsync("/api/keys", new ApiKeyRequest { Name = name, Role = ApiRole.Read }, ApiJson.Options);
        var badName = await lab.Coordinator.Http.PostAsJsonAsync("/api/keys", new ApiKeyRequest { Name = "Bad Name!", Role = ApiRole.Read }, ApiJson.Options);
        var noRole = await lab.Coordinator.Http.PostAsJsonAsync("/api/keys", new ApiKeyRequest { Name = $"norole-{_suffix}" }, ApiJson.Options);
        var (code, _, error) = await DroverCli.Run(lab.Coordinator, "keys", "add", $"cli-{_suffix}", "--role", "superuser");

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("has a key already", await Detail(taken));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("lowercase letters", await Detail(badName));
        Assert.Equal(HttpStatusCode.BadRequest, noRole.StatusCode);
        Assert.Contains("Name the role", await Detail(noRole));
        Assert.Equal(2, code);
        Assert.Contains("superuser", error);
    }

    /// <summary>Makes a key with the CLI, as an administrator would, and returns it.</summary>
    private async Task<string> AddKey(string name, string role)
    {
        var (code, output, error) = await DroverCli.Run(lab.Coordinator, "keys", "add", name, "--role", role, "--json");
        Assert.True(code == 0, $"drover keys add exited {code}: {error}");
        var created = JsonSerializer.Deserialize<ApiKeyCreated>(output, ApiJson.Options)!;
        Assert.Equal(name, created.Name);
        return created.Key;
    }

    private async Task<HttpResponseMessage> Send(string key, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(lab.Coordinator.Url, path)) { Content = body is null ? null : JsonContent.Create(body, options: ApiJson.Options) };
        request.Headers.Add("X-Api-Key", key);
        using var bare = new HttpClient();   // the lab's client sends the configured key on every request
        return await bare.SendAsync(request);
    }

    private static async Task<string> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString() ?? "";
}
