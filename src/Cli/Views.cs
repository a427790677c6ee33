using Drover.Api;
using Drover.Contracts;
using Spectre.Console;

namespace Drover.Cli;

/// <summary>How the API's answers read for a person.</summary>
public static class Views
{
    public static string Short(Guid id) => id.ToString()[..8];

    public static string MiB(long bytes) => $"{bytes / 1048576} MiB";

    public static string Duration(long? ms) => ms switch
    {
        null => "",
        < 10_000 => $"{ms} ms",
        < 600_000 => $"{ms / 1000.0:0.#} s",
        _ => $"{ms / 60_000.0:0.#} min",
    };

    /// <summary>One line while a migration runs.</summary>
    public static string Progress(MigrationView m)
    {
        int filled = (int)Math.Round(m.PercentComplete / 5);
        string eta = m.EtaSeconds is { } e ? $", ETA {e:0.#} s" : "";
        return $"[{new string('#', filled)}{new string('-', 20 - filled)}] {m.PercentComplete,5:0.0}%  {MiB(m.DataProcessedBytes)} sent, " +
               $"{MiB(m.DataRemainingBytes)} left, dirty {MiB(m.DirtyRateBytesPerSecond)}/s{eta}  {m.State}";
    }

    public static string Line(MigrationView m) => $"{m.Id}  {m.Vm}  {m.SourceHost} -> {m.DestinationHost ?? "?"}  {m.State}";

    /// <summary>A migration in full: what was asked, how it went, every state it entered.</summary>
    public static string Describe(MigrationView m)
    {
        var r = m.Request;
        var lines = new List<string>
        {
            Line(m),
            $"  kind {m.Kind}, attempt {m.Attempt} of {m.MaxAttempts}, progress {m.PercentComplete:0.#}%" +
            (m.DowntimeMs is { } downtime ? $", downtime {downtime} ms" : "") + (m.TotalDurationMs is { } total ? $", total {total} ms" : ""),
            $"  asked by {m.RequestedBy ?? "?"} at {m.CreatedAt:u}: " + string.Join(", ", Options(r).DefaultIfEmpty("chapter defaults")),
        };
        foreach (var (name, value) in new[] { ("reason", m.Reason), ("queued", m.QueueReason), ("placement", m.PlacementReason), ("warning", m.Warning), ("facts", m.FactsVerdict) })
            if (value is not null) lines.Add($"  {name}: {value}");
        foreach (var a in m.Attempts)
            lines.Add($"  attempt {a.Number} to {a.DestinationHost ?? "?"}: {a.Outcome}" + (a.Reason is { } why ? $" ({why})" : ""));
        foreach (var e in m.Escalations)
            lines.Add($"  escalation at iteration {e.Iteration}: {e.Action} ({e.Reason})");
        foreach (var e in m.IgnoredEvents)
            lines.Add($"  ignored {e.Event} from {e.Host ?? "?"}: {e.Why}");
        if (m.Timeline.Count > 0) lines.Add("  timeline:");
        DateTime? previous = null;
        foreach (var t in m.Timeline)
        {
            string took = previous is { } p ? $" (+{Duration((long)(t.At - p).TotalMilliseconds)})" : "";
            lines.Add($"    {t.At:HH:mm:ss.fff}{took,-12} {t.State}" + (t.Reason is { } why ? $": {why}" : ""));
            previous = t.At;
        }
        return string.Join('\n', lines);
    }

    private static IEnumerable<string> Options(StartMigrationRequest r)
    {
        if (r.Persistent) yield return "persistent";
        if (r.UndefineSource) yield return "undefine source";
        if (r.BandwidthMiBps is { } b) yield return $"bandwidth {b} MiB/s";
        if (r.MaxDowntimeMs is { } d) yield return $"max downtime {d} ms";
        if (r.AutoConverge) yield return "auto-converge";
        if (r.PostCopyAllowed) yield return "post-copy allowed";
        if (r.FallBackToNonLiveAllowed) yield return "non-live allowed";
        if (r.CopyStorage) yield return "copy storage";
        if (r.Priority != 0) yield return $"priority {r.Priority}";
    }

    public static Table Migrations(Terminal t, IEnumerable<MigrationView> migrations)
    {
        var table = t.Table("ID", "VM", "FROM", "TO", "KIND", "STATE", "STARTED", "TOOK", "DOWNTIME");
        foreach (var m in migrations)
            table.AddRow(Cell(m.Id.ToString()), Cell(m.Vm), Cell(m.SourceHost), Cell(m.DestinationHost ?? "?"), Cell(m.Kind.ToString()),
                State(m.State), Cell($"{m.CreatedAt:u}"), Cell(Duration(m.TotalDurationMs)), Cell(m.DowntimeMs is { } d ? $"{d} ms" : ""));
        return table;
    }

    public static Table Hosts(Terminal t, IEnumerable<HostView> hosts)
    {
        var table = t.Table("HOST", "STATUS", "MEMORY USED", "CPUS", "RUNNING", "DEFINED", "LAST HEARTBEAT");
        foreach (var h in hosts)
            table.AddRow(Cell(h.Name), State(h.Status.ToString()), Cell($"{h.MemoryUsedKiB / 1024} / {h.MemoryTotalKiB / 1024} MiB"), Cell(h.Cpus.ToString()),
                Cell(h.Domains.Count(d => d.State.IsActive()).ToString()), Cell(h.Domains.Count.ToString()), Cell($"{h.LastHeartbeatAt:u}"));
        return table;
    }

    public static Table Vms(Terminal t, IEnumerable<HostView> hosts)
    {
        var table = t.Table("VM", "HOST", "STATE", "VCPUS", "MEMORY", "PERSISTENT");
        foreach (var (host, d) in hosts.SelectMany(h => h.Domains.Select(d => (h.Name, d))).OrderBy(x => x.d.Name, StringComparer.Ordinal).ThenBy(x => x.Name))
            table.AddRow(Cell(d.Name), Cell(host), State(d.State.ToWireName()), Cell(d.VCpus.ToString()), Cell($"{d.MemoryKiB / 1024} MiB"), Cell(d.Persistent ? "yes" : "no"));
        return table;
    }

    public static Table Jobs(Terminal t, IEnumerable<RebalanceView> jobs)
    {
        var table = t.Table("ID", "KIND", "STATE", "MOVES", "SPREAD (PP)", "STARTED");
        foreach (var j in jobs)
            table.AddRow(Cell(j.Id.ToString()), Cell(j.DrainHost is { } h ? $"drain {h}" : j.Kind), State(j.State),
                Cell($"{j.Moves.Count(m => m.Status == MoveStatus.Completed)}/{j.Moves.Count}"),
                Cell($"{j.SpreadBefore:0.#} -> {j.SpreadAfter:0.#}" + (j.SpreadMeasured is { } s ? $" ({s:0.#} measured)" : "")), Cell($"{j.CreatedAt:u}"));
        return table;
    }

    public static Table Keys(Terminal t, IEnumerable<ApiKeyView> keys)
    {
        var table = t.Table("NAME", "ROLE", "CREATED", "BY", "REVOKED");
        foreach (var k in keys)
            table.AddRow(Cell(k.Name), Cell(k.Role.ToString().ToLowerInvariant()), Cell($"{k.CreatedAt:u}"), Cell(k.CreatedBy ?? ""), Cell(k.RevokedAt is { } r ? $"{r:u}" : ""));
        return table;
    }

    public static string Describe(RebalanceView job)
    {
        var lines = new List<string>
        {
            $"{job.Id}  {job.Kind}  {job.State}  spread {job.SpreadBefore:0.#} -> {job.SpreadAfter:0.#} pp planned" +
            (job.SpreadMeasured is { } measured ? $", {measured:0.#} pp measured after the moves" : ""),
        };
        if (job.Reason is { } reason) lines.Add($"  reason: {reason}");
        foreach (var m in job.Moves) lines.Add($"  {m.Vm}: {m.From} -> {m.To}  {m.Status}  ({m.Reason})");
        foreach (var u in job.Unmovable) lines.Add($"  stays: {u.Vm} on {u.Host}: {u.Reason}");
        if (job.State == "AwaitingApproval") lines.Add($"  run it with: drover approve {job.Id}");
        return string.Join('\n', lines);
    }

    /// <summary>A pre-flight: the verdict, the forecast, the local disks, then every host as a destination.</summary>
    public static void Preflight(Terminal t, PreflightView p)
    {
        string verdict = p.Possible ? $"[green]possible[/] -> {Markup.Escape(p.Destination ?? "?")} ({Markup.Escape(p.DestinationReason ?? "")})" : "[red]not possible now[/]";
        t.Markup($"{Markup.Escape(p.Vm)} on {Markup.Escape(p.SourceHost)}, {p.Kind}: {verdict}");
        foreach (var problem in p.Problems) t.Markup($"  [red]problem[/]: {Markup.Escape(problem)}");
        string color = p.Convergence.Verdict switch { "Converges" => "green", "WillNotConverge" => "red", _ => "yellow" };
        t.Markup($"  convergence: [{color}]{Markup.Escape(p.Convergence.Text)}[/]");
        t.Line($"  local disks: {(p.LocalDisks.Count == 0 ? "none" : string.Join(", ", p.LocalDisks))}");
        var table = t.Table("HOST", "ELIGIBLE", "FREE", "CHECKED BY", "REASONS");
        foreach (var c in p.Candidates)
            table.AddRow(Cell(c.Host), new Markup(c.Eligible ? "[green]yes[/]" : "[red]no[/]"), Cell($"{c.FreeMemoryMiB} MiB"),
                Cell(c.AgentChecked ? "inventory, agent" : "inventory"), Cell(string.Join("; ", c.Reasons)));
        t.Write(table);
    }

    /// <summary>0 when it could go now and converge (or has nothing to converge); 3 otherwise.</summary>
    public static int ExitCode(PreflightView p) => p.Possible && p.Convergence.Verdict != "WillNotConverge" ? ExitCodes.Ok : ExitCodes.Rejected;

    private static Markup Cell(string text) => new(Markup.Escape(text));

    private static Markup State(string state) => new(state switch
    {
        "Completed" or "Up" or "running" => $"[green]{state}[/]",
        "RolledBack" or "Cancelled" or "Degraded" or "Queued" or "AwaitingApproval" or "paused" => $"[yellow]{state}[/]",
        "Rejected" or "NeedsAttention" or "Failed" or "PartlyFailed" or "Down" or "crashed" => $"[red]{state}[/]",
        _ => Markup.Escape(state),
    });
}
