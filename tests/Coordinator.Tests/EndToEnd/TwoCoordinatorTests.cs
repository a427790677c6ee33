using Drover.Api;
using System.Net;
using System.Net.Http.Json;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// Admission is exact with several coordinators on one PostgreSQL database: migrations asked through both APIs at once never
/// exceed the per-host limits (as libvirt's jobs and the saga rows show), each VM moves once, and when one coordinator is
/// killed the other finishes everything.
/// </summary>
[Collection(TwoCoordinatorCollection.Name)]
public sealed class TwoCoordinatorTests(TwoCoordinatorLab lab) : IAsyncLifetime
{
    private const int PerHostLimit = 2;   // Migrations:MaxOutgoingPerHost and MaxIncomingPerHost, the defaults
    private readonly List<string> _vms = Enumerable.Range(1, 12).Select(i => $"pair-{Guid.NewGuid().ToString("N")[..6]}-{i:00}").ToList();

    public async Task InitializeAsync()
    {
        // Four guests on each host; each will be placed on one of the two others.
        await Task.WhenAll(_vms.Select((vm, i) => Lab.CreateGuest(lab.Hosts[i % 3], vm)));
        // Twelve guests booting at once on two cores hold everything up for seconds: start from a fleet seen Up again.
        await Eventually.True(() => lab.Hosts.All(h => lab.StatusOf(h) == HostStatus.Up), TimeSpan.FromSeconds(60), "every host Up after the guests booted");
    }

    public Task DisposeAsync()
    {
        foreach (var vm in _vms) Lab.Remove(vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Twelve_migrations_through_both_apis_respect_the_per_host_limits_and_survive_one_coordinator_killed()
    {
        using var watch = new LimitWatch(lab);
        var ids = new List<Guid>();
        for (int i = 0; i < _vms.Count; i++)
        {
            var api = i % 2 == 0 ? lab.Coordinator.Http : lab.Second.Http;
            var response = await api.PostAsJsonAsync("/api/migrations", new { vm = _vms[i], sourceHost = lab.Hosts[i % 3].Name, bandwidthMiBps = 64 });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid());
        }

        await Eventually.True(() => Views(ids)?.Count(v => v.State == "Completed") >= 3, TimeSpan.FromMinutes(2), "three migrations completed");
        lab.Coordinator.Kill();   // kill -9 in the middle: the second coordinator carries on alone

        var final = await Eventually.Get(() => Views(ids) is { } v && v.All(m => m.IsFinal) ? v : null, TimeSpan.FromMinutes(4), "every migration to end");
        // Every one Completed. A coordinator killed between writing a step and sending its command loses that command:
        // the deadline, the facts of both hosts and a rollback recover it, and the next attempt moves the VM — so an
        // attempt may have been rolled back (the VM never left its source then), never anything worse.
        Assert.All(final, m => Assert.True(m.State == "Completed" && m.Attempts.Where(a => a.Number < m.Attempt).All(a => a.Outcome == "RolledBack"),
            $"{m.Vm}: {m.State} (attempt {m.Attempt}; earlier: {string.Join(", ", m.Attempts.Select(a => $"{a.Number} {a.Outcome}"))}): {m.Reason}"));
        foreach (var m in final) Invariants.RunsOnlyOn(lab.Hosts.Single(h => h.Name == m.DestinationHost), m.Vm, lab.Hosts);
        // The watch saw the run (however fast it went): several samples with migrations under way.
        Assert.True(watch.SamplesWhileRunning >= 5 && watch.MostOutgoing >= 1, $"only {watch.SamplesWhileRunning} samples with migrations under way");
        Assert.True(watch.MostJobsOnOneHost <= PerHostLimit, $"libvirt showed {watch.MostJobsOnOneHost} migration jobs on one source host");
        Assert.True(watch.MostOutgoing <= PerHostLimit && watch.MostIncoming <= PerHostLimit,
            $"the saga rows showed {watch.MostOutgoing} migrations out of and {watch.MostIncoming} into one host at once");
        Assert.True(watch.MostJobsOnOneHost >= 1 && watch.MostOutgoing >= 1, "the watch never saw a migration running");
    }

    /// <summary>Every migration as the surviving coordinator shows it; null while one is not recorded yet.</summary>
    private List<MigrationView>? Views(IEnumerable<Guid> ids)
    {
        try { return ids.Select(id => lab.Second.Get<MigrationView>($"/api/migrations/{id}").GetAwaiter().GetResult()).ToList(); }
        catch (HttpRequestException) { return null; }   // 404: its request is still on the bus
    }

    /// <summary>Samples, until disposed, how many migrations run per host: libvirt's jobs on each source, and the saga rows.</summary>
    private sealed class LimitWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;

        public LimitWatch(TwoCoordinatorLab lab) => _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var host in lab.Hosts)
                {
                    using var connection = host.Connect();
                    int jobs = connection.ListDomains().Count(d => { using (d) return d.FindJobStats() is { IsActive: true }; });
                    MostJobsOnOneHost = Math.Max(MostJobsOnOneHost, jobs);
                }
                var running = (await lab.Second.Get<List<MigrationView>>("/api/migrations?state=active")).Where(m => m.State != "Queued").ToList();
                MostOutgoing = Math.Max(MostOutgoing, running.GroupBy(m => m.SourceHost).Select(g => g.Count()).DefaultIfEmpty().Max());
                MostIncoming = Math.Max(MostIncoming, running.GroupBy(m => m.DestinationHost).Select(g => g.Count()).DefaultIfEmpty().Max());
                if (running.Count > 0) SamplesWhileRunning++;
                try { await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token); }
                catch (OperationCanceledException) { }
            }
        });

        public int MostJobsOnOneHost { get; private set; }
        public int MostOutgoing { get; private set; }
        public int MostIncoming { get; private set; }
        public int SamplesWhileRunning { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            _sampling.GetAwaiter().GetResult();
            _stop.Dispose();
        }
    }
}
