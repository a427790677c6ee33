using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Drover.Api;

namespace Drover.Cli;

/// <summary>The coordinator's HTTP API, read and written with the API's own types; its problems become exceptions the
/// commands turn into exit codes.</summary>
public sealed class CoordinatorClient(Uri url, string? apiKey, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = Create(url, apiKey, timeout ?? TimeSpan.FromSeconds(15));

    public Uri Url => url;

    public async Task<T> Get<T>(string path, CancellationToken ct = default) =>
        (await Send(HttpMethod.Get, path, null, ct)).Deserialize<T>(ApiJson.Options)!;

    public async Task<T> Post<T>(string path, object? body, CancellationToken ct = default) =>
        (await Send(HttpMethod.Post, path, body, ct)).Deserialize<T>(ApiJson.Options)!;

    public async Task<T> Send<T>(HttpMethod method, string path, object? body, CancellationToken ct = default) =>
        (await SendCore(method, path, body, ct)).Deserialize<T>(ApiJson.Options)!;

    /// <summary>The answer as JSON, for answers with no type of their own.</summary>
    public Task<JsonElement> Send(HttpMethod method, string path, object? body, CancellationToken ct = default) => SendCore(method, path, body, ct);

    private async Task<JsonElement> SendCore(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: ApiJson.Options) };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CoordinatorUnreachableException($"cannot reach the coordinator at {url} ({e.Message}); is it running? (set DROVER_URL or --url)");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CoordinatorUnreachableException($"the coordinator at {url} did not answer in time");
        }
        using (response)
        {
            var json = response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (response.IsSuccessStatusCode) return json;
            throw new ApiProblemException(response.StatusCode, Describe(response.StatusCode, json));
        }
    }

    private static string Describe(HttpStatusCode status, JsonElement problem)
    {
        string? detail = problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        string? title = problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        return $"{(int)status} {title ?? status.ToString()}" + (detail is null ? "" : $": {detail}");
    }

    private static HttpClient Create(Uri url, string? apiKey, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = url, Timeout = timeout };
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public void Dispose() => _http.Dispose();
}
