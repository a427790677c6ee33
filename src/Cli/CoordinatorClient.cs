using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Drover.Cli;

/// <summary>The coordinator's HTTP API. Errors come back as ProblemDetails; their detail is what the user sees.</summary>
public sealed class CoordinatorClient(Uri url, string? apiKey) : IDisposable
{
    private readonly HttpClient _http = Create(url, apiKey);

    public Uri Url => url;

    public Task<JsonElement> Get(string path) => Send(HttpMethod.Get, path, null);

    public Task<JsonElement> Post(string path, object? body) => Send(HttpMethod.Post, path, body);

    private async Task<JsonElement> Send(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            throw new CoordinatorUnreachableException($"cannot reach the coordinator at {url} ({e.Message}); is it running? (set DROVER_URL or --url)");
        }
        catch (TaskCanceledException)
        {
            throw new CoordinatorUnreachableException($"the coordinator at {url} did not answer in time");
        }
        using (response)
        {
            var json = response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
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

    private static HttpClient Create(Uri url, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public void Dispose() => _http.Dispose();
}
