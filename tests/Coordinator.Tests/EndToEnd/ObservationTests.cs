using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Observation;
using Drover.TestSupport;
using Microsoft.Playwright;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>What an operator sees: the dashboard in a real browser, and the state-change queue in RabbitMQ's management API.</summary>
[Collection(SqliteCollection.Name)]
public sealed class ObservationTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "obs-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_state_change_queue_holds_each_migrations_sequence_of_states()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B);
        await _driver.Expect<MigrationCompleted>(request);
        await _driver.WaitForState(request.MigrationId, "Completed");

        using var management = Broker.Management();
        var queue = await management.GetFromJsonAsync<JsonElement>("/api/queues/%2F/drover-state-changes");
        Assert.True(queue.GetProperty("durable").GetBoolean());
        Assert.Equal(10_000, queue.GetProperty("arguments").GetProperty("x-max-length").GetInt32());

        var response = await management.PostAsJsonAsync("/api/queues/%2F/drover-state-changes/get",
            new { count = 10_000, ackmode = "ack_requeue_true", encoding = "auto" });
        response.EnsureSuccessStatusCode();
        var states = (await response.Content.ReadFromJsonAsync<JsonElement[]>())!
            .Select(m => JsonDocument.Parse(m.GetProperty("payload").GetString()!).RootElement.GetProperty("message"))
            .Where(m => m.GetProperty("migrationId").GetGuid() == request.MigrationId)
            .OrderBy(m => m.GetProperty("at").GetDateTimeOffset())
            .Select(m => m.GetProperty("state").GetString())
            .ToList();
        Assert.Equal(["Queued", "ValidatingStorage", "DefiningDomain", "TransferringMemory", "CuttingOver", "CleaningUp", "Completed"], states);

        // Admission wakes in process: nothing of the coordinator's consumes the state changes (the queue that did is deleted at start).
        var bound = (await management.GetFromJsonAsync<JsonElement[]>("/api/exchanges/%2F/Drover.Contracts.Migrations%3AMigrationStateChanged/bindings/source"))!
            .Select(b => b.GetProperty("destination").GetString()).ToList();
        Assert.Contains(StateChangeQueue.Name, bound);
        foreach (string retired in StateChangeQueue.RetiredQueues)
        {
            Assert.DoesNotContain(retired, bound);
            Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync($"/api/queues/%2F/{retired}")).StatusCode);
        }
    }

    [Fact]
    public async Task The_dashboard_shows_a_migration_progress_and_complete()
    {
        await Lab.CreateGuest(lab.A, _vm);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium(playwright);
        var page = await Dashboard(browser);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("live");

        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 12 };
        await lab.Bus.Bus.Publish(request);

        var active = page.Locator($"#active tr[data-id='{request.MigrationId}']");
        await Assertions.Expect(active.Locator(".state")).ToHaveTextAsync("TransferringMemory", new() { Timeout = 30_000 });
        await Assertions.Expect(active.Locator(".pct")).Not.ToHaveTextAsync("0.0%", new() { Timeout = 30_000 });
        string shown = await active.Locator(".pct").InnerTextAsync();
        Assert.True(double.Parse(shown.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) > 0, shown);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("dashboard-in-flight.png") });

        var done = page.Locator($"#recent tr[data-id='{request.MigrationId}']");
        await Assertions.Expect(done.Locator(".state")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#hosts")).ToContainTextAsync(_vm);

        // The charts carry the fleet and the outcome: the VM's memory on its new host, its duration and downtime, the
        // minute it finished in.
        await Eventually.True(() => page.EvaluateAsync<bool>($$"""
            () => Chart.getChart('memory-chart').data.datasets.some(d => d.label === '{{_vm}}' && d.data.some(v => v > 0))
               && Chart.getChart('recent-chart').data.labels.includes('{{_vm}}')
               && Chart.getChart('outcomes-chart').data.datasets.some(d => d.label === 'Completed' && d.data.reduce((a, b) => a + b, 0) >= 1)
            """).GetAwaiter().GetResult(), TimeSpan.FromSeconds(30), "the charts drawn with the migration");

        // A click on the outcome opens its timeline.
        await done.ClickAsync();
        await Assertions.Expect(page.Locator("#detail .timeline")).ToContainTextAsync("TransferringMemory");
        await Assertions.Expect(page.Locator("#detail .timeline")).ToContainTextAsync("Completed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("dashboard-completed.png"), FullPage = true });
        Assert.IsType<MigrationCompleted>(await _driver.Outcome(request.MigrationId));
    }

    [Fact]
    public async Task Signed_in_with_the_key_an_operator_cancels_a_running_migration_from_the_page()
    {
        await Lab.CreateGuest(lab.A, _vm);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium(playwright);
        var page = await Dashboard(browser);

        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 2 };   // a minute or more: time to act
        await lab.Bus.Bus.Publish(request);
        var row = page.Locator($"#active tr[data-id='{request.MigrationId}']");
        await Assertions.Expect(row.Locator(".state")).ToHaveTextAsync("TransferringMemory", new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("button.cancel")).ToBeHiddenAsync();   // no key, no actions

        await page.Locator("#key").FillAsync(CoordinatorProcess.ApiKey);
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#session")).ToBeHiddenAsync();
        await row.Locator("button.cancel").ClickAsync();

        var done = page.Locator($"#recent tr[data-id='{request.MigrationId}']");
        await Assertions.Expect(done.Locator(".state")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });
        Assert.IsType<MigrationRolledBack>(await _driver.Outcome(request.MigrationId));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    private static Task<IBrowser> Chromium(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    private async Task<IPage> Dashboard(IBrowser browser)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await page.GotoAsync(lab.Coordinator.Url.ToString());
        return page;
    }

    [Fact]
    public async Task One_migration_is_one_trace_across_the_coordinator_and_both_agents()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B);
        await _driver.Expect<MigrationCompleted>(request);

        string tag = $"messaging.masstransit.correlation_id: {request.MigrationId}";
        var logs = new[] { lab.Coordinator.LogPath }.Concat(lab.Agents.Select(a => a.LogPath)).ToList();
        Dictionary<string, HashSet<string>> traces = [];
        await Eventually.True(() =>
        {
            traces = logs.ToDictionary(log => log, log => TraceIds(ReadShared(log), tag));
            return traces.Values.All(t => t.Count > 0);
        }, TimeSpan.FromSeconds(30), "spans of the migration in every process's log");

        Assert.Single(traces.Values.SelectMany(t => t).Distinct());
    }

    /// <summary>The console exporter writes one block per span, starting with its trace id.</summary>
    private static HashSet<string> TraceIds(string log, string tag) =>
        log.Split("Activity.TraceId:").Skip(1)
            .Select(block => (Trace: block.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], Block: block))
            .Where(b => b.Block.Contains(tag))
            .Select(b => b.Trace)
            .ToHashSet();

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Artifact(string name) => Path.Combine(Repository.Root, "tests", "TestResults", name);
}
