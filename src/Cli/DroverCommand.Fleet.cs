using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using Drover.Api;
using Drover.Contracts;

namespace Drover.Cli;

/// <summary>The commands about the fleet: its hosts and VMs, and its jobs (rebalance, drain).</summary>
public static partial class DroverCommand
{
    private static Command Hosts()
    {
        var command = new Command("hosts", "The fleet as the agents report it: status, memory, VM counts");
        command.SetAction(Run(async (x, ct) =>
        {
            var hosts = await x.Client.Get<List<HostView>>("/api/hosts", ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(hosts);
            else x.Terminal.Write(Views.Hosts(x.Terminal, hosts));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Vms()
    {
        var host = HostOption("--host", "Only the VMs on this host");
        var command = new Command("vms", "Every VM the agents report, with its host and state") { host };
        command.SetAction(Run(async (x, ct) =>
        {
            var hosts = await x.Client.Get<List<HostView>>("/api/hosts", ct);
            if (x.Parse.GetValue(host) is { } only)
            {
                hosts = hosts.Where(h => h.Name == only).ToList();
                if (hosts.Count == 0) throw new NotFoundException($"no host named '{only}'");
            }
            if (x.Terminal.Json) x.Terminal.WriteJson(hosts.SelectMany(h => h.Domains.Select(d => new { host = h.Name, domain = d })));
            else x.Terminal.Write(Views.Vms(x.Terminal, hosts));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Rebalance()
    {
        var strategy = new Option<string>("--strategy") { Description = "What to even out", DefaultValueFactory = _ => "memory" };
        strategy.AcceptOnlyFromAmong("memory", "vcpus");
        var target = new Option<double?>("--target") { Description = "Stop once the spread is within this many percentage points" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only; run it later with drover approve" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the job is accepted" };
        var command = new Command("rebalance", "Even out the fleet") { strategy, target, dryRun, noWait };
        command.SetAction(Run(async (x, ct) =>
        {
            var accepted = await x.Client.Post<JobAccepted>("/api/rebalance",
                new { strategy = x.Parse.GetValue(strategy), dryRun = x.Parse.GetValue(dryRun), targetSpreadPoints = x.Parse.GetValue(target) }, ct);
            return await Follow.Job(x, accepted.Id, wait: !x.Parse.GetValue(noWait), ct);
        }));
        return command;
    }

    private static Command Drain()
    {
        var host = new Argument<string>("HOST") { Description = "The host to empty" };
        host.CompletionSources.Add(HostNames());
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only; run it later with drover approve" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the job is accepted" };
        var command = new Command("drain", "Move every VM off a host") { host, dryRun, noWait };
        command.SetAction(Run(async (x, ct) =>
        {
            var accepted = await x.Client.Post<JobAccepted>($"/api/hosts/{Uri.EscapeDataString(x.Parse.GetValue(host)!)}/drain", new { dryRun = x.Parse.GetValue(dryRun) }, ct);
            return await Follow.Job(x, accepted.Id, wait: !x.Parse.GetValue(noWait), ct);
        }));
        return command;
    }

    private static Command Jobs()
    {
        var command = new Command("jobs", "The fleet jobs (rebalances and drains), newest first");
        command.SetAction(Run(async (x, ct) =>
        {
            var jobs = await x.Client.Get<List<RebalanceView>>("/api/rebalance", ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(jobs);
            else if (jobs.Count == 0) x.Terminal.Line("no fleet jobs");
            else x.Terminal.Write(Views.Jobs(x.Terminal, jobs));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Job()
    {
        var reference = JobArgument();
        var cancelReference = JobArgument();
        var cancel = new Command("cancel", "Stop a fleet job: no new moves start; running ones finish") { cancelReference };
        cancel.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Job(x.Client, x.Parse.GetValue(cancelReference)!, ct);
            await x.Client.Send(HttpMethod.Post, $"/api/rebalance/{id}/cancel", null, ct);
            return await Follow.Job(x, id, wait: false, ct);
        }));
        var command = new Command("job", "A fleet job's plan and progress") { reference, cancel };
        command.SetAction(Run(async (x, ct) => await Follow.Job(x, await References.Job(x.Client, x.Parse.GetValue(reference)!, ct), wait: false, ct)));
        return command;
    }

    private static Command Approve()
    {
        var reference = JobArgument();
        var noWait = new Option<bool>("--no-wait") { Description = "Return once it is approved" };
        var command = new Command("approve", "Run a planned (dry-run) job") { reference, noWait };
        command.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Job(x.Client, x.Parse.GetValue(reference)!, ct);
            await x.Client.Send(HttpMethod.Post, $"/api/rebalance/{id}/approve", null, ct);
            return await Follow.Job(x, id, wait: !x.Parse.GetValue(noWait), ct);
        }));
        return command;
    }
}
