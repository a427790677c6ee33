using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// Can this VM move, where, and will it converge? The checks admission and placement make, for every host, from the
/// inventory; then the agents' own validation — the source's (state, devices, probes written beside the disks that must
/// be shared) and every candidate destination's (the probes seen, memory, CPUs, CPU model, name and UUID, versions) —
/// answered to the pre-flight rather than published, the probes removed after; the VM's local disks; and a convergence
/// forecast from the dirty rate the source agent measures (libvirt's page sampling: the guest is not disturbed). Nothing
/// is started or defined.
/// </summary>
public sealed class Preflight(HostInventory inventory, IDbContextFactory<CoordinatorDbContext> dbFactory, IBus bus, IOptions<SagaOptions> options)
{
    /// <summary>How long the source agent has to measure (a one-second window and libvirt's report after it).</summary>
    public static readonly TimeSpan MeasureTimeout = TimeSpan.FromSeconds(10);

    public const int WindowSeconds = 1;

    /// <summary>The answer, or the problem with the request (its field and reason) when it cannot be assessed at all.</summary>
    public async Task<(PreflightView? View, RequestProblem? Problem)> Assess(StartMigrationRequest request, CancellationToken ct)
    {
        var hosts = await inventory.All(ct);
        if (string.IsNullOrEmpty(request.SourceHost) && !string.IsNullOrWhiteSpace(request.Vm))
        {
            var (found, why) = HostInventory.SourceOf(request.Vm, hosts);
            if (found is null) return (null, new(nameof(request.SourceHost), why!));
            request = request with { SourceHost = found };
        }
        var (m, problem) = request.ToMessage(requestedBy: null);   // nothing is started: nobody to record
        if (m is null) return (null, problem);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fleet = new FleetLoad(hosts, await db.Active().ToListAsync(ct));
        var source = fleet.Host(m.SourceHost);
        if (source is null) return (null, new(nameof(m.SourceHost), $"Unknown host '{m.SourceHost}': no agent has reported from it"));
        var vm = fleet.Domain(source, m.Vm);
        if (vm is null) return (null, new(nameof(m.Vm), $"VM '{m.Vm}' is not on '{source.Name}' as its agent last reported"));

        var q = new MigrationState { Vm = m.Vm, SourceHost = source.Name, DestinationHost = m.DestinationHost, Kind = m.Kind, CopyStorage = m.CopyStorage, UndefineSource = m.UndefineSource };

        var problems = new List<string>();
        if (source.Unavailable is { } away) problems.Add($"source '{source.Name}' is {away}");
        if (m.Kind == MigrationKind.Offline && vm.State.IsActive()) problems.Add($"'{vm.Name}' is {vm.State.ToWireName()}: an offline migration needs it shut off");
        if (m.Kind != MigrationKind.Offline && !vm.State.IsActive()) problems.Add($"'{vm.Name}' is {vm.State.ToWireName()}: a {m.Kind} migration needs it running; use offline");
        if (fleet.Migrating(Guid.Empty, vm.Name) is { } running) problems.Add($"'{vm.Name}' is already being migrated (migration {running.Id})");

        var refusals = hosts.Where(h => h.Name != source.Name).ToDictionary(h => h.Name, h => Placement.Refusals(q, vm, source, h, fleet).ToList());
        var checkedByAgent = new HashSet<string>();
        if (problems.Count == 0)
            await AgentChecks(m, vm, source, hosts.Where(h => refusals.TryGetValue(h.Name, out var r) && r.Count == 0).ToList(), refusals, checkedByAgent, problems, ct);
        var candidates = hosts.Where(h => h.Name != source.Name)
            .Select(h => new HostAssessment(h.Name, refusals[h.Name].Count == 0, refusals[h.Name], fleet.Room(h) / 1024, checkedByAgent.Contains(h.Name))).ToList();
        string? destination, destinationReason;
        if (m.DestinationHost is { } named)
        {
            var asked = candidates.FirstOrDefault(c => c.Host == named);
            destination = named;
            destinationReason = asked is null ? $"no agent has reported from '{named}'" : asked.Eligible ? "asked for" : string.Join("; ", asked.Reasons);
            if (asked is not { Eligible: true }) problems.Add($"'{named}' cannot take it: {destinationReason}");
        }
        else
        {
            var (chosen, why) = Placement.Choose(q, vm, source, hosts.Where(h => h.Name == source.Name || refusals[h.Name].Count == 0).ToList(), fleet, options.Value.MaxIncomingPerHost);
            destination = chosen?.Name;
            destinationReason = chosen is null ? "No host can take the VM" : why;
            if (chosen is null) problems.Add("No host can take the VM");
        }

        var shared = source.SharedStorage.Select(dir => dir.TrimEnd('/') + "/").ToList();
        return (new PreflightView
        {
            Vm = vm.Name,
            SourceHost = source.Name,
            Kind = m.Kind.ToString(),
            Possible = problems.Count == 0,
            Destination = destination,
            DestinationReason = destinationReason,
            Problems = problems,
            Candidates = candidates,
            LocalDisks = vm.Disks.Where(d => !shared.Any(dir => d.StartsWith(dir, StringComparison.Ordinal))).ToList(),
            Convergence = await Forecast(m, vm, source, db, ct),
        }, null);
    }

    /// <summary>The agents' validation, as a migration's first step would run it, of the destinations the inventory found no
    /// fault with: the source's problems go to <paramref name="problems"/>, each destination's to its refusals; the source's
    /// probes are removed at the end.</summary>
    private async Task AgentChecks(Contracts.Migrations.MigrateVm m, DomainSummary vm, HostView source, IReadOnlyList<HostView> destinations,
        Dictionary<string, List<string>> refusals, HashSet<string> checkedByAgent, List<string> problems, CancellationToken ct)
    {
        var id = Guid.NewGuid();   // the probes' name; no saga has it
        var ticket = new StepTicket { Step = StepTicket.PreflightStep, Attempt = 1, Sequence = 1, NotAfter = DateTimeOffset.UtcNow + MeasureTimeout };
        var validated = await Ask<ValidateSource, SourceValidated>(source.Name,
            new ValidateSource { MigrationId = id, Ticket = ticket, Domain = vm.Name, Kind = m.Kind, CopyStorage = m.CopyStorage, UndefineSource = m.UndefineSource }, ct);
        if (validated.Failure is { } sourceProblem)
        {
            problems.Add($"source '{source.Name}': {sourceProblem}");
            return;
        }
        var v = validated.Answer!;
        try
        {
            var answers = await Task.WhenAll(destinations.Select(h => Ask<ValidateDestination, DestinationValidated>(h.Name, new ValidateDestination
            {
                MigrationId = id, Ticket = ticket, DomainName = v.DomainName, DomainUuid = v.DomainUuid, MigratableXml = v.MigratableXml,
                Requirements = DestinationRequirements.Of(v),
            }, ct)));
            foreach (var (host, answer) in destinations.Zip(answers))
            {
                if (answer.Answer is not null) checkedByAgent.Add(host.Name);
                else refusals[host.Name].Add($"its agent: {answer.Failure}");
            }
        }
        finally
        {
            if (v.Probes.Count > 0)
                await Ask<CleanUpSource, SourceCleanedUp>(source.Name, new CleanUpSource
                {
                    MigrationId = id, Ticket = ticket, DomainName = v.DomainName, UndefineSource = false, ProbePaths = v.Probes.Select(p => p.ProbePath).ToList(),
                }, CancellationToken.None);
        }
    }

    /// <summary>A step command asked of one host's agent and answered to us: the answer, or why there is none.</summary>
    private async Task<(TAnswer? Answer, string? Failure)> Ask<TCommand, TAnswer>(string host, TCommand command, CancellationToken ct)
        where TCommand : class where TAnswer : class
    {
        try
        {
            var client = bus.CreateRequestClient<TCommand>(StepCommands.AgentQueue(host), RequestTimeout.After(s: (int)MeasureTimeout.TotalSeconds));
            var response = await client.GetResponse<TAnswer, StepFailed, StepExpired>(command, ct);
            if (response.Is(out Response<TAnswer>? ok)) return (ok!.Message, null);
            if (response.Is(out Response<StepFailed>? failed)) return (null, failed!.Message.Reason);
            return (null, $"the agent of '{host}' found the request stale");
        }
        catch (RequestTimeoutException)
        {
            return (null, $"the agent of '{host}' did not answer within {MeasureTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<ConvergenceForecast> Forecast(Contracts.Migrations.MigrateVm m, DomainSummary vm, HostView source, CoordinatorDbContext db, CancellationToken ct)
    {
        var o = options.Value;
        long bandwidth = m.BandwidthMiBps ?? o.PreflightBandwidthMiBps;
        long maxDowntime = m.MaxDowntimeMs ?? o.PreflightMaxDowntimeMs;
        double memoryMiB = vm.MemoryKiB / 1024.0;
        if (m.Kind == MigrationKind.Offline)
            return new() { Verdict = "NotLive", Text = "an offline migration moves only the definition: nothing to converge" };
        if (m.Kind == MigrationKind.NonLive)
        {
            double paused = memoryMiB / bandwidth;
            return new()
            {
                Verdict = "NotLive", EstimatedSeconds = paused, EstimatedDowntimeMs = paused * 1000, BandwidthMiBps = bandwidth, BandwidthAssumed = m.BandwidthMiBps is null,
                Text = $"non-live: the VM is paused for the whole copy, about {paused:0.#} s at {bandwidth} MiB/s",
            };
        }

        DirtyRateMeasured measured;
        try
        {
            var client = bus.CreateRequestClient<MeasureDirtyRate>(StepCommands.AgentQueue(source.Name), RequestTimeout.After(s: (int)MeasureTimeout.TotalSeconds));
            measured = (await client.GetResponse<DirtyRateMeasured>(new MeasureDirtyRate { DomainName = vm.Name, WindowSeconds = WindowSeconds }, ct)).Message;
        }
        catch (RequestTimeoutException)
        {
            return Unknown($"the agent of '{source.Name}' did not answer within {MeasureTimeout.TotalSeconds:0} s");
        }
        if (measured.DirtyRateMiBps is not { } dirty) return Unknown(measured.Error ?? "the dirty rate was not measured");

        // The first pass sends what the VM's last transfer sent (zero pages cost next to nothing), else all its memory.
        var lastSent = await db.Migrations.AsNoTracking()
            .Where(x => x.Vm == vm.Name && x.CurrentState == nameof(MigrationStatus.Completed) && x.Kind != MigrationKind.Offline && x.DataProcessedBytes > 0)
            .OrderByDescending(x => x.CreatedAt).Select(x => (long?)x.DataProcessedBytes).FirstOrDefaultAsync(ct);
        double firstPass = Math.Min(memoryMiB, lastSent is { } bytes ? bytes / 1048576.0 : memoryMiB);
        var f = ConvergencePrediction.Predict(firstPass, memoryMiB, dirty, WindowSeconds, bandwidth, maxDowntime);
        string at = $"{bandwidth} MiB/s{(m.BandwidthMiBps is null ? " (assumed: no limit asked)" : "")}";
        var forecast = new ConvergenceForecast
        {
            Verdict = f.Converges ? "Converges" : "WillNotConverge", Text = "",
            EstimatedSeconds = Math.Round(f.Seconds, 1), EstimatedDowntimeMs = Math.Round(f.DowntimeMs),
            DirtyRateMiBps = dirty, BandwidthMiBps = bandwidth, BandwidthAssumed = m.BandwidthMiBps is null, MaxDowntimeMs = maxDowntime, FirstPassMiB = (long)firstPass,
        };
        if (f.Converges)
            return forecast with { Text = $"converges in about {f.Seconds:0.#} s with downtime about {f.DowntimeMs:0} ms at {at} (dirty rate {dirty} MiB/s, {f.Iterations} passes)" };
        long? needed = ConvergencePrediction.BandwidthNeeded(firstPass, memoryMiB, dirty, WindowSeconds, maxDowntime);
        var ways = new List<string>();
        if (!m.PostCopyAllowed) ways.Add("allow post-copy");
        if (!m.FallBackToNonLiveAllowed) ways.Add("allow non-live");
        if (needed is not null) ways.Add($"raise the bandwidth to at least {needed} MiB/s");
        return forecast with
        {
            BandwidthNeededMiBps = needed,
            Text = $"will not converge live at {at}: the guest dirties about {dirty} MiB/s against {maxDowntime} ms of downtime" +
                   (ways.Count > 0 ? $"; {string.Join(", or ", ways)}" : "; the escalations it allows will take over"),
        };
    }

    private static ConvergenceForecast Unknown(string why) => new() { Verdict = "Unknown", Text = $"no forecast: {why}" };
}
