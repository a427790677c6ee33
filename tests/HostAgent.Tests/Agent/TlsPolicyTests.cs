using System.ComponentModel.DataAnnotations;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Steps;
using Drover.HostAgent.Transfers;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>What Agent:Tls demands of URIs and of libvirt's flags (pure; SecurityTests migrate over TLS in the lab).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class TlsPolicyTests
{
    private static AgentOptions Options(bool tls, string uri = "qemu+tls://10.0.0.1/system", Dictionary<string, string>? peers = null) =>
        new() { HostName = "kvm-a", MigrationUri = uri, Tls = tls, Peers = peers ?? [] };

    private static List<string> Problems(AgentOptions o)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(o, new ValidationContext(o), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    [Fact]
    public void With_tls_the_hosts_own_uri_and_every_peers_must_be_qemu_tls()
    {
        Assert.Empty(Problems(Options(tls: true, peers: new() { ["kvm-b"] = "qemu+tls://10.0.0.2/system" })));
        Assert.Contains("Tls: MigrationUri must be a qemu+tls:// URI, not 'qemu+tcp://10.0.0.1/system'", Problems(Options(tls: true, "qemu+tcp://10.0.0.1/system")));
        Assert.Contains("Tls: peer kvm-c's URI must be qemu+tls://, not 'qemu+ssh://10.0.0.3/system'",
            Problems(Options(tls: true, peers: new() { ["kvm-b"] = "qemu+tls://10.0.0.2/system", ["kvm-c"] = "qemu+ssh://10.0.0.3/system" })));
        Assert.Empty(Problems(Options(tls: false, "qemu+tcp://10.0.0.1/system", new() { ["kvm-b"] = "qemu+tcp://10.0.0.2/system" })));
    }

    [Theory]
    [InlineData("qemu+tls://10.0.0.2/system", true)]
    [InlineData("QEMU+TLS://kvm-b/system", true)]
    [InlineData("qemu+tcp://10.0.0.2/system", false)]
    [InlineData("qemu://10.0.0.2/system", false)]
    [InlineData("qemu+ssh://tls@kvm-b/system", false)]
    [InlineData("qemu+tcp://kvm-b/system?x=+tls://", false)]
    [InlineData("", false)]
    public void A_uri_is_tls_only_by_its_transport(string uri, bool tls) => Assert.Equal(tls, Peers.IsTls(uri));

    [Fact]
    public void With_tls_a_plain_destination_is_refused_even_when_no_peers_are_named()
    {
        Assert.Equal("kvm-a migrates only over TLS (Agent:Tls): qemu+tcp://10.0.0.2/system is not a qemu+tls:// URI",
            Peers.Refusal(Options(tls: true), "kvm-b", "qemu+tcp://10.0.0.2/system"));
        Assert.Null(Peers.Refusal(Options(tls: true), "kvm-b", "qemu+tls://10.0.0.2/system"));
        Assert.Null(Peers.Refusal(Options(tls: false, "qemu+tcp://10.0.0.1/system"), "kvm-b", "qemu+tcp://10.0.0.2/system"));
    }

    [Theory]
    [InlineData(MigrationKind.Live, true, true)]
    [InlineData(MigrationKind.NonLive, true, true)]
    [InlineData(MigrationKind.Offline, true, false)]   // no stream: the definition travels over the qemu+tls:// connection
    [InlineData(MigrationKind.Live, false, false)]
    public void The_stream_is_encrypted_when_tls_is_on_and_there_is_a_stream(MigrationKind kind, bool tls, bool encrypted)
    {
        var m = new TransferMemory
        {
            MigrationId = Guid.NewGuid(), Ticket = Tickets.Valid(), DomainName = "vm", Kind = kind, DestinationHost = "kvm-b",
            DestinationMigrationUri = "qemu+tls://10.0.0.2/system", StorageVerified = kind != MigrationKind.Offline, Tuning = new MigrationTuning(),
        };
        Assert.Equal(encrypted, TransferPlan.Request(m, tls).Flags.HasFlag(MigrationFlags.Tls));
    }
}
