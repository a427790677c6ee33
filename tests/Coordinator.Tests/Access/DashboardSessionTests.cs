using System.Net;
using System.Net.Http.Json;
using Drover.Coordinator.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Drover.Coordinator.Tests.Access;

/// <summary>The dashboard's sign-in, through the API's own gate on an in-process server: the key buys a cookie that is not
/// the key, the cookie lets reads through when they are protected, and writes with it need the dashboard's header.</summary>
[Trait("Category", "Fast")]
public sealed class DashboardSessionTests : IAsyncLifetime
{
    private const string Key = "s3cret-key";
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.Configure<ApiOptions>(o => { o.Key = Key; o.ProtectReads = true; });
        builder.Services.AddSingleton(TimeProvider.System).AddApiAccess();   // no database: the configured key only
        _app = builder.Build();
        _app.UseApiAccess();
        _app.MapSession();
        _app.MapGet("/read", () => "read").RequireRead();
        _app.MapPost("/write", () => "written").RequireOperate();
        await _app.StartAsync();
        _http = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_key_buys_a_strict_http_only_cookie_that_opens_protected_reads_and_dashboard_writes()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/read")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.PostAsJsonAsync("/api/session", new { key = "wrong" })).StatusCode);

        var signIn = await _http.PostAsJsonAsync("/api/session", new { key = Key });
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        string cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{ApiOptions.SessionCookie}=", cookie);
        Assert.DoesNotContain(Key, cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        string session = cookie.Split(';')[0];

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/read", session)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/write", session)).StatusCode);   // a cross-site form cannot add the header
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, "/write", session, dashboard: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/read", $"{ApiOptions.SessionCookie}=forged", dashboard: true)).StatusCode);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string cookie, bool dashboard = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (dashboard) request.Headers.Add(ApiOptions.SessionWriteHeader, "1");
        return _http.SendAsync(request);
    }
}
