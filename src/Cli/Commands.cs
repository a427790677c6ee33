using System.Text.Json;

namespace Drover.Cli;

/// <summary>The drover commands: each prints for people by default and JSON with --json, and returns an exit code.</summary>
public sealed class Commands(CoordinatorClient client, CliArguments args, TextWriter output)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public int Help()
    {
        output.WriteLine("""
            drover — move KVM virtual machines across the fleet

              drover migrate VM --from HOST [--to HOST] [--live|--non-live|--offline] [--persistent] [--undefine-source]
                             [--bandwidth MiB/s] [--max-downtime ms] [--auto-converge] [--post-copy]
                             [--allow-non-live] [--watch]
              drover status [ID]           one migration, or the recent ones
              drover watch ID              follow a migration: progress, then the measured downtime
              drover hosts                 the fleet as the agents report it
              drover cancel ID             stop a migration before its cut-over
              drover rebalance [--strategy memory|vcpus] [--target PP] [--dry-run]
                                           even out the fleet; a dry run shows the plan and waits for approval
              drover drain HOST [--dry-run] move every VM off a host
              drover job ID                a fleet job's plan and progress
              drover approve ID            run a planned (dry-run) job

            Options: --json (machine-readable output), --url URL (or DROVER_URL; default http://127.0.0.1:5080),
                     --api-key KEY (or DROVER_API_KEY; needed for migrate and cancel).
            Exit codes: 0 completed or done, 2 bad usage, 3 rejected, 4 rolled back or cancelled,
                        5 failed or needs attention, 6 coordinator unreachable, 1 other errors.
            """);
        return ExitCodes.Ok;
    }

    public async Task<int> Migrate()
    {
        args.RejectUnknown("--from", "--to", "--bandwidth", "--max-downtime", "--url", "--api-key");
        string vm = Word(1, "migrate needs the VM's name: drover migrate VM --from HOST --to HOST");
        string from = args.Option("--from") ?? throw new UsageException("migrate needs --from HOST");
        string[] kinds = ["--live", "--non-live", "--offline"];
        var chosen = kinds.Where(args.Has).ToList();
        if (chosen.Count > 1) throw new UsageException("choose one of --live, --non-live, --offline");
        var body = new
        {
            vm,
            sourceHost = from,
            destinationHost = args.Option("--to"),
            kind = chosen.FirstOrDefault()?.TrimStart('-') ?? "live",
            persistent = args.Has("--persistent"),
            undefineSource = args.Has("--undefine-source"),
            bandwidthMiBps = args.Number("--bandwidth"),
            maxDowntimeMs = args.Number("--max-downtime"),
            autoConverge = args.Has("--auto-converge"),
            postCopyAllowed = args.Has("--post-copy"),
            fallBackToNonLiveAllowed = args.Has("--allow-non-live"),
            requestedBy = $"drover-cli@{Environment.MachineName}",
        };
        var accepted = await client.Post("/api/migrations", body);
        string id = accepted.GetProperty("id").GetString()!;
        if (!args.Has("--watch"))
        {
            if (args.Has("--json")) output.WriteLine(accepted.ToString());
            else output.WriteLine($"migration {id} accepted: {vm} {from} -> {body.destinationHost ?? "(placement)"} ({body.kind}); follow it with: drover watch {id}");
            return ExitCodes.Ok;
        }
        return await Follow(id);
    }

    public async Task<int> Status()
    {
        args.RejectUnknown("--url", "--api-key", "--state", "--host");
        if (args.Words.Count > 1)
        {
            var m = await client.Get($"/api/migrations/{Id(1)}");
            output.WriteLine(args.Has("--json") ? Pretty(m) : MigrationText.Describe(m));
            return ExitCodes.ForState(m.GetProperty("state").GetString()!);
        }
        string query = string.Join("&", new[] { ("state", args.Option("--state")), ("host", args.Option("--host")) }
            .Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}"));
        var list = await client.Get("/api/migrations" + (query.Length > 0 ? "?" + query : ""));
        if (args.Has("--json")) output.WriteLine(Pretty(list));
        else if (list.GetArrayLength() == 0) output.WriteLine("no migrations");
        else foreach (var m in list.EnumerateArray()) output.WriteLine(MigrationText.Line(m));
        return ExitCodes.Ok;
    }

    public Task<int> Watch()
    {
        args.RejectUnknown("--url", "--api-key");
        return Follow(Id(1));
    }

    public async Task<int> Hosts()
    {
        args.RejectUnknown("--url", "--api-key");
        var hosts = await client.Get("/api/hosts");
        if (args.Has("--json"))
        {
            output.WriteLine(Pretty(hosts));
            return ExitCodes.Ok;
        }
        output.WriteLine($"{"HOST",-12} {"STATUS",-6} {"MEMORY USED",-22} {"CPUS",4}  VMS");
        foreach (var h in hosts.EnumerateArray())
        {
            long total = h.GetProperty("memoryTotalKiB").GetInt64(), used = h.GetProperty("memoryUsedKiB").GetInt64();
            var vms = h.GetProperty("domains").EnumerateArray().Select(d => $"{d.GetProperty("name").GetString()}({d.GetProperty("state").GetString()})");
            output.WriteLine($"{h.GetProperty("name").GetString(),-12} {h.GetProperty("status").GetString(),-9} {$"{used / 1024} / {total / 1024} MiB",-22} {h.GetProperty("cpus").GetInt32(),4}  {string.Join(", ", vms)}");
        }
        return ExitCodes.Ok;
    }

    public async Task<int> Cancel()
    {
        args.RejectUnknown("--url", "--api-key");
        string id = Id(1);
        var answer = await client.Post($"/api/migrations/{id}/cancel", null);
        output.WriteLine(args.Has("--json") ? Pretty(answer) : $"cancellation of {id} requested (it was {answer.GetProperty("state").GetString()}); follow it with: drover watch {id}");
        return ExitCodes.Ok;
    }

    public async Task<int> Rebalance()
    {
        args.RejectUnknown("--url", "--api-key", "--strategy", "--target");
        double? target = args.Option("--target") is { } t ? double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : throw new UsageException($"--target takes a number, not '{t}'") : null;
        var accepted = await client.Post("/api/rebalance", new { strategy = args.Option("--strategy") ?? "memory", dryRun = args.Has("--dry-run"), targetSpreadPoints = target });
        return await FollowJob(accepted.GetProperty("id").GetString()!);
    }

    public async Task<int> Drain()
    {
        args.RejectUnknown("--url", "--api-key");
        string host = Word(1, "drain needs a host: drover drain HOST");
        var accepted = await client.Post($"/api/hosts/{Uri.EscapeDataString(host)}/drain", new { dryRun = args.Has("--dry-run") });
        return await FollowJob(accepted.GetProperty("id").GetString()!);
    }

    public Task<int> Job()
    {
        args.RejectUnknown("--url", "--api-key");
        return FollowJob(Id(1), follow: false);
    }

    public async Task<int> Approve()
    {
        args.RejectUnknown("--url", "--api-key");
        string id = Id(1);
        await client.Post($"/api/rebalance/{id}/approve", null);
        return await FollowJob(id);
    }

    /// <summary>Waits until the job is planned (and, unless it waits for approval, finished), then prints it.</summary>
    private async Task<int> FollowJob(string id, bool follow = true)
    {
        while (true)
        {
            var job = await GetAccepted($"/api/rebalance/{id}");
            string state = job.GetProperty("state").GetString()!;
            if (!follow || job.GetProperty("isFinal").GetBoolean() || state == "AwaitingApproval")
            {
                output.WriteLine(args.Has("--json") ? Pretty(job) : DescribeJob(job));
                return state switch { "PartlyFailed" or "Failed" => ExitCodes.Failed, "Cancelled" => ExitCodes.RolledBack, _ => ExitCodes.Ok };
            }
            await Task.Delay(500);
        }
    }

    private static string DescribeJob(JsonElement job)
    {
        var lines = new List<string>
        {
            $"{job.GetProperty("id").GetString()}  {job.GetProperty("kind").GetString()}  {job.GetProperty("state").GetString()}  " +
            $"spread {job.GetProperty("spreadBefore").GetDouble():0.#} -> {job.GetProperty("spreadAfter").GetDouble():0.#} pp planned" +
            (job.TryGetProperty("spreadMeasured", out var measured) && measured.ValueKind == JsonValueKind.Number ? $", {measured.GetDouble():0.#} pp measured after the moves" : ""),
        };
        foreach (var m in job.GetProperty("moves").EnumerateArray())
            lines.Add($"  {m.GetProperty("vm").GetString()}: {m.GetProperty("from").GetString()} -> {m.GetProperty("to").GetString()}  {m.GetProperty("status").GetString()}  ({m.GetProperty("reason").GetString()})");
        foreach (var u in job.GetProperty("unmovable").EnumerateArray())
            lines.Add($"  stays: {u.GetProperty("vm").GetString()} on {u.GetProperty("host").GetString()}: {u.GetProperty("reason").GetString()}");
        if (job.GetProperty("state").GetString() == "AwaitingApproval") lines.Add($"  run it with: drover approve {job.GetProperty("id").GetString()}");
        return string.Join('\n', lines);
    }

    /// <summary>Polls the migration and redraws one progress line until it ends.</summary>
    private async Task<int> Follow(string id)
    {
        bool json = args.Has("--json");
        bool terminal = !Console.IsOutputRedirected && !json;
        string last = "";
        while (true)
        {
            var m = await GetAccepted($"/api/migrations/{id}");
            string state = m.GetProperty("state").GetString()!;
            if (m.GetProperty("isFinal").GetBoolean())
            {
                if (terminal) output.WriteLine();
                output.WriteLine(json ? Pretty(m) : MigrationText.Describe(m));
                return ExitCodes.ForState(state);
            }
            string line = MigrationText.Progress(m);
            if (terminal) output.Write($"\r{line,-110}");
            else if (!json && line != last) output.WriteLine(line);
            last = line;
            await Task.Delay(250);
        }
    }

    /// <summary>GETs what was just accepted: the coordinator may not have recorded it yet, so a 404 is asked again for a few seconds.</summary>
    private async Task<JsonElement> GetAccepted(string path)
    {
        var since = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await client.Get(path);
            }
            catch (ApiProblemException e) when (e.Status == System.Net.HttpStatusCode.NotFound && DateTime.UtcNow - since < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(250);
            }
        }
    }

    private static string Pretty(JsonElement e) => JsonSerializer.Serialize(e, Indented);

    private string Word(int index, string missing) => args.Words.Count > index ? args.Words[index] : throw new UsageException(missing);

    private string Id(int index)
    {
        string id = Word(index, $"{args.Words[0]} needs a migration id");
        return Guid.TryParse(id, out _) ? id : throw new UsageException($"'{id}' is not a migration id");
    }
}
