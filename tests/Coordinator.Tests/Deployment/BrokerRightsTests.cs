using System.Text.RegularExpressions;
using Drover.Contracts.Hosts;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.Deployment;

/// <summary>The agents' broker rights (scripts/broker.sh) name every message an agent publishes, and nothing else.</summary>
[Trait("Category", "Fast")]   // pure: reads the script and the contracts
public sealed class BrokerRightsTests
{
    [Fact]
    public void The_agent_events_in_the_broker_rights_are_exactly_the_messages_only_an_agent_publishes()
    {
        string script = File.ReadAllText(Repository.Script("broker.sh"));
        var line = Regex.Match(script, "^AGENT_EVENTS='(?<list>[^']+)'$", RegexOptions.Multiline);
        Assert.True(line.Success, "broker.sh has no AGENT_EVENTS line");
        var inScript = Regex.Matches(line.Groups["list"].Value, @"Drover\\.Contracts\\.(?<ns>\w+):\(?(?<names>[\w|]+)\)?")
            .SelectMany(m => m.Groups["names"].Value.Split('|').Select(n => $"Drover.Contracts.{m.Groups["ns"].Value}:{n}"))
            .Order().ToList();
        // MassTransit's exchange for a message type: its namespace and name.
        var reports = typeof(IHostReport).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IHostReport)))
            .Select(t => $"{t.Namespace}:{t.Name}").Order().ToList();
        Assert.Equal(reports, inScript);
    }
}
