using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>The SQLite coordinator with deadlines short enough for fault tests to see them pass; the coordinator and the
/// agents talk to the broker over AMQPS with certificates of the lab CA, and the agents migrate only over TLS (Agent:Tls:
/// qemu+tls:// between the hosts' libvirtd, QEMU's stream encrypted): the faults hit TLS connections too.</summary>
public sealed class FaultLab() : SqliteMigrationLab(5183)
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(8);

    protected override IReadOnlyDictionary<string, string>? AgentSettings(LabHost host) =>
        Broker.TlsSettings(Names.AgentUser(host.Name)).Concat(AgentProcess.LibvirtTls(host)).ToDictionary();

    protected override IReadOnlyDictionary<string, string> CoordinatorSettings => new Dictionary<string, string>(Broker.TlsSettings(Broker.CoordinatorUser))
    {
        ["Migrations__StepTimeout"] = StepTimeout.ToString(),
        ["Migrations__TransferSilenceTimeout"] = "00:00:10",
        ["Migrations__TransferStallTimeout"] = "00:00:20",
        ["Migrations__CompensationPatience"] = "00:03:00",
        ["Migrations__ResendBackoffMax"] = "00:00:03",
        ["Migrations__RetryBackoff"] = "00:00:01",
    };
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultLab>
{
    public const string Name = "coordinator under faults";
}
