using System.Text.Json;
using System.Xml.Linq;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>
/// An agent checks what it is told, whoever sent it: a definition must be the validated domain's and ask for nothing a
/// migration never needs, files stay inside the host's storage, memory goes only to a peer, and a definition read with its
/// secrets never leaves the host. Each refusal is NotPermitted with the reason, and nothing changes on either host.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class CommandVerificationTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly string _vm = "verify-" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentSteps _steps = new(lab);
    private readonly Guid _id = Guid.NewGuid();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    public static TheoryData<string, string> Tampered => new()
    {
        { "qemu", "qemu:commandline" },
        { "hostdev", "host devices" },
        { "disk", "/etc/shadow" },
        { "serial", "/root/.ssh/authorized_keys" },
        { "emulator", "/bin/sh" },
        { "name", "not of" },
        { "uuid", "UUID" },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task A_tampered_definition_is_refused_when_validated_and_when_defined_and_nothing_is_defined(string tampering, string says)
    {
        await Lab.CreateGuest(lab.A, _vm, stopped: true);   // its definition is what counts here
        var source = await _steps.Expect<SourceValidated>(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Offline }, _id);
        string xml = Tamper(source.MigratableXml, tampering);

        var atValidation = await _steps.ExpectFailure(lab.B, AgentSteps.ValidateDestinationFor(source) with { MigratableXml = xml }, _id);
        var atDefinition = await _steps.ExpectFailure(lab.B, new DefineDomain
        {
            Ticket = Tickets.Valid(), MigrationId = _id, DomainName = _vm, DomainUuid = source.DomainUuid, MigratableXml = xml,
        }, _id);

        foreach (var refusal in new[] { atValidation, atDefinition })
        {
            Assert.Equal(AgentFailureCode.NotPermitted, refusal.Code);
            Assert.Contains(says, refusal.Reason);
        }
        Assert.Null(lab.B.StateOf(_vm));
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));
    }

    [Fact]
    public async Task Memory_goes_only_to_a_peer_at_the_uri_the_agent_knows_for_it()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var stranger = lab.B with { Name = "kvm-stranger" };
        var forgedUri = lab.B with { MigrationUri = "qemu+tcp://203.0.113.7/system" };

        var other = Guid.NewGuid();
        var notAPeer = await _steps.ExpectFailure(lab.A, AgentSteps.TransferFor(_id, _vm, MigrationKind.Live, stranger), _id);
        var wrongUri = await _steps.ExpectFailure(lab.A, AgentSteps.TransferFor(other, _vm, MigrationKind.Live, forgedUri), other);

        Assert.Equal(AgentFailureCode.NotPermitted, notAPeer.Code);
        Assert.Contains("kvm-stranger is not a peer", notAPeer.Reason);
        Assert.Equal(AgentFailureCode.NotPermitted, wrongUri.Code);
        Assert.Contains($"203.0.113.7/system is not {lab.B.Name}'s migration URI", wrongUri.Reason);
        Assert.Empty(lab.Bus.Events.All<MemoryTransferProgressed>(p => p.MigrationId == _id || p.MigrationId == other));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    [Fact]
    public async Task A_probe_outside_the_hosts_storage_is_never_read()
    {
        await Lab.CreateGuest(lab.A, _vm, stopped: true);
        var source = await _steps.Expect<SourceValidated>(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Offline }, _id);
        var probe = new DiskProbe { DiskPath = "/etc/shadow", ProbePath = "/etc/shadow", Token = "root:" };

        var refused = await _steps.ExpectFailure(lab.B, AgentSteps.ValidateDestinationFor(source) with { Requirements = DestinationRequirements.Of(source) with { Probes = [probe] } }, _id);

        Assert.Equal(AgentFailureCode.NotPermitted, refused.Code);
        Assert.Contains("/etc/shadow is outside", refused.Reason);
    }

    [Fact]
    public async Task The_definition_a_migration_replaced_keeps_its_secrets_on_the_host_and_a_rollback_restores_it()
    {
        await Lab.CreateGuest(lab.A, _vm, stopped: true);
        var source = await _steps.Expect<SourceValidated>(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Offline }, _id);
        const string secret = "s3cret42";   // VNC passwords are at most 8 characters
        var old = XElement.Parse(source.MigratableXml);
        old.Element("devices")!.Add(new XElement("graphics", new XAttribute("type", "vnc"), new XAttribute("passwd", secret)));
        using (var b = lab.B.Connect()) b.Define(old.ToString()).Dispose();   // B's own, older definition of the same domain

        var defined = await _steps.Expect<DomainDefined>(lab.B, new DefineDomain
        {
            Ticket = Tickets.Valid(), MigrationId = _id, DomainName = _vm, DomainUuid = source.DomainUuid, MigratableXml = source.MigratableXml,
        }, _id);

        Assert.True(defined.KeptPreviousDefinition);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(defined));
        Assert.DoesNotContain(secret, DefinitionOf(lab.B));

        await _steps.Expect<DomainUndefined>(lab.B, new UndefineDomain { Ticket = Tickets.Valid(), MigrationId = _id, DomainName = _vm, RestorePrevious = true }, _id);

        Assert.Contains($"passwd='{secret}'", DefinitionOf(lab.B).Replace('"', '\''));
        Assert.DoesNotContain("drover.dev/xmlns/migration", DefinitionOf(lab.B));
    }

    private string DefinitionOf(LabHost host)
    {
        using var connection = host.Connect();
        using var domain = connection.FindDomain(_vm) ?? throw new Xunit.Sdk.XunitException($"{_vm} is not defined on {host.Name}");
        return domain.GetDefinitionXml();
    }

    /// <summary>The source's migratable XML with one thing a forger would change.</summary>
    private static string Tamper(string xml, string tampering)
    {
        var root = XElement.Parse(xml);
        var devices = root.Element("devices")!;
        XNamespace qemu = "http://libvirt.org/schemas/domain/qemu/1.0";
        switch (tampering)
        {
            case "qemu":
                root.Add(new XElement(qemu + "commandline", new XAttribute(XNamespace.Xmlns + "qemu", qemu.NamespaceName),
                    new XElement(qemu + "arg", new XAttribute("value", "-monitor")), new XElement(qemu + "arg", new XAttribute("value", "tcp:0.0.0.0:4444,server"))));
                break;
            case "hostdev":
                devices.Add(XElement.Parse("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/></source></hostdev>"));
                break;
            case "disk":
                devices.Add(XElement.Parse("<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/etc/shadow'/><target dev='vdz' bus='virtio'/></disk>"));
                break;
            case "serial":
                devices.Element("serial")!.Element("source")!.SetAttributeValue("path", "/root/.ssh/authorized_keys");
                break;
            case "emulator":
                devices.Element("emulator")!.Value = "/bin/sh";
                break;
            case "name":
                root.Element("name")!.Value = "someone-else";
                break;
            case "uuid":
                root.Element("uuid")!.Value = Guid.NewGuid().ToString();
                break;
        }
        return root.ToString();
    }
}
